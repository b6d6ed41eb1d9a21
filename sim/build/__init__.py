"""docker build: Dockerfiles, contexts, BuildKit layer and cache rules."""
