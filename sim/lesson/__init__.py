"""The classroom: lessons as data (scenarios/lessons/*.toml), goals checked against the model,
hints, a quiz answered from the model, and progress kept in the user's data directory."""
