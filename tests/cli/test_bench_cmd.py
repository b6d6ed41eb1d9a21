"""``dockersim bench`` on the command line: bad input gets one line and a non-zero exit."""

import json

import pytest

from sim.cli.app import main


@pytest.mark.parametrize(("argv", "message"), [
    (["bench", "--egress", "fast"], "dockersim bench: --egress:"),
    (["bench", "--egress", "0bit/s"], "dockersim bench: --egress: expected a rate"),
    (["bench", "--hosts", "0"], "dockersim bench: --hosts: expected a whole number"),
])
def test_bad_arguments_are_refused_in_one_line(argv, message):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert str(exc.value).startswith(message)
    assert "\n" not in str(exc.value)


def test_one_small_fleet_as_json(capsys):
    assert main(["bench", "--hosts", "2", "--egress", "1Gbit/s", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["name"] == "fleet 2 hosts x 10 pulls"
