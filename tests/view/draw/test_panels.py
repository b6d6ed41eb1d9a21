"""Side panel, details, timeline, help (sim/view/draw/panels.py)."""

from __future__ import annotations

import pygame

from sim.view.draw import panels
from sim.view.draw.frame import regions

from ..helpers import demo, draw, shared


def test_details_of_a_shared_layer_name_its_ids_and_users():
    _world, scene = shared()
    state = scene.state_at(scene.end)
    host = state.hosts["host1"]
    base = next(iter(host.images.values())).chain_ids[0]
    lines = panels.details(state, ("layer", "host1", base))
    text = "\n".join(lines)
    assert "diffID" in text and "chainID" in text and "blob digest" in text
    assert "shared by 2 image(s)" in text
    assert "python:3.14-slim" in text and "debian:trixie-slim" in text


def test_details_of_a_container_list_its_files():
    _world, scene = demo()
    state = scene.state_at(4.0)
    cid = next(c for c in state.hosts["host1"].containers.values() if c.name == "web")
    text = "\n".join(panels.details(state, ("container", "host1", cid.container_id)))
    assert "/usr/share/nginx/html/index.html" in text and "writable layer" in text


def test_timeline_maps_clicks_to_times():
    _world, scene = demo()
    tl = panels.Timeline()
    rect = regions((1280, 720))["timeline"]
    assert tl.time_at(rect, rect[0], scene, scene.end) == 0.0
    assert tl.time_at(rect, rect[0] + rect[2], scene, scene.end) == scene.end
    mid = tl.time_at(rect, rect[0] + rect[2] // 2, scene, scene.end)
    assert abs(mid - scene.end / 2) < scene.end * 0.02


def test_help_overlay_and_command_line_draw():
    _world, scene = demo()
    surf, _lay, _ = draw(scene, 1.0, help=True)
    plain, _lay, _ = draw(scene, 1.0)
    assert pygame.image.tobytes(surf, "RGB") != pygame.image.tobytes(plain, "RGB")
    typed, _lay, _ = draw(scene, 1.0, command="docker ps", host="host1")
    x, y, w, h = regions((1280, 720))["command"]
    assert tuple(typed.get_at((x + w - 3, y + h // 2)))[:3] == (30, 30, 34)


def test_the_step_where_the_cache_broke():
    steps = [[4, "[1/4] FROM docker.io/library/python:3.14-slim", "cached", 0.0],
             [5, "[2/4] WORKDIR /app", "cached", 0.1], [6, "[internal] load build context",
                                                       "done", 0.2],
             [7, "[3/4] COPY . .", "done", 0.3], [8, "[4/4] RUN pip install", "started", 0.4]]
    shown = panels.dockerfile_steps(steps)
    assert [s[0] for s in shown] == [4, 5, 7, 8]
    assert panels.cache_break(shown) == 7
    cold = [[4, "[1/2] FROM x", "done", 0.0], [5, "[2/2] RUN y", "done", 1.0]]
    assert panels.cache_break(cold) is None
    warm = [[4, "[1/2] FROM x", "cached", 0.0], [5, "[2/2] RUN y", "cached", 1.0]]
    assert panels.cache_break(warm) is None


def test_a_build_in_progress_is_drawn_beside_the_console():
    from sim.cli.view_cmd import run_scenario_file
    from sim.view.api import scene_of

    from ..helpers import ROOT_SCENARIOS
    _s, report, console = run_scenario_file(str(ROOT_SCENARIOS / "classroom" /
                                                "build-cache.toml"), [], "test")
    scene = scene_of(report.world, console, prompts=False)
    starts = [r.t for r in scene.records if type(r.event).__name__ == "BuildStep"
              and r.event.name.startswith("[4/4]") and r.event.status == "started"]
    surf, _lay, _ = draw(scene, starts[-1] + 0.01)
    side = regions((1280, 720))["side"]
    yellow = sum(1 for x in range(side[0], side[0] + 80) for y in range(side[1], side[1] + 160)
                 if tuple(surf.get_at((x, y)))[:3] == (240, 228, 66))  # a step running now
    assert yellow > 20


def test_brief_folds_a_long_output_and_keeps_prompts_and_hints():
    from sim.cli.hints import PREFIX
    lines = [(0.0, "h", "$ docker pull nginx")] + [(0.0, "h", f"line {i}") for i in range(9)] \
        + [(1.0, "h", "$ docker stop nginx"), (1.0, "h", ""), (1.0, "h", "Error response"),
           (1.0, "h", f"{PREFIX}images don't run")]
    out = [text for _t, _h, text in panels.brief(lines)]
    assert out == ["$ docker pull nginx", "line 0", "line 1", "  … 5 more lines", "line 7",
                   "line 8", "$ docker stop nginx", "Error response",
                   f"{PREFIX}images don't run"]
    short = lines[:6]
    assert panels.brief(short) == short  # five output lines: nothing to fold


def test_on_a_projector_an_error_wraps_whole_and_a_table_row_is_cut():
    from sim.view.draw.text import Text
    error = ("Error response from daemon: conflict: unable to remove repository reference "
             '"nginx" (must force) - container 72fe7ffb5fad is using its referenced image')
    table = "CONTAINER ID   IMAGE     COMMAND                  CREATED          STATUS"
    lines = [(0.0, "h", "$ docker rmi nginx"), (0.0, "h", error), (1.0, "h", "$ docker ps"),
             (1.0, "h", table)]
    text = Text()
    rows = panels.console_rows(text, lines, 16, 300, present=True, many_hosts=False)
    outs = [r for r, kind in rows if kind == "out"]
    assert len(outs) > 2 and " ".join(outs[:-1]) == error  # every word of the error is shown
    assert outs[-1] == table  # the table row stays one row
    assert all(text.width(r, 16, True) <= 300 for r in outs[:-1])
    plain = panels.console_rows(text, lines, 16, 300, present=False, many_hosts=False)
    assert [r for r, _k in plain] == [ln for _t, _h, ln in lines]  # the window cuts, as before
