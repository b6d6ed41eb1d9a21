"""The mistake explainer: after Docker's own output, one short line that names the wrong
mental model behind a failed (or surprising) command.

Hints read the world after the command ran; they never change it and never touch Docker's
stdout or stderr: the shell prints them on a separate ``hint (dockersim): ...`` line, or in
the ``hint`` field of ``--json``. Each rule looks at the command, its exit and Docker's
message, and the model (images, containers, the trace) to tell which misconception it is."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from ..model.errors import DockerError
from ..trace import events as ev

PREFIX = "hint (dockersim): "
# management forms folded onto the short verbs the rules know
ALIASES = {("container", "stop"): "stop", ("container", "start"): "start",
           ("container", "kill"): "kill", ("container", "restart"): "restart",
           ("container", "rm"): "rm", ("container", "exec"): "exec",
           ("container", "logs"): "logs", ("container", "pause"): "pause",
           ("container", "run"): "run", ("container", "create"): "create",
           ("image", "rm"): "rmi", ("image", "push"): "push", ("image", "pull"): "pull",
           ("image", "build"): "build", ("buildx", "build"): "build"}
VALUE_FLAGS = {
    "stop": {"-t", "--time", "--timeout", "-s", "--signal"},
    "restart": {"-t", "--time", "--timeout", "-s", "--signal"},
    "kill": {"-s", "--signal"},
    "exec": {"-e", "--env", "-w", "--workdir", "-u", "--user", "--env-file"},
    "logs": {"-n", "--tail", "--since", "--until"},
    "pull": {"--platform"},
    "run": {"--name", "-v", "--volume", "-e", "--env", "-p", "--publish", "-l", "--label",
            "--restart", "--entrypoint", "--stop-timeout", "-w", "--workdir", "-u", "--user",
            "--network", "--mount", "--platform", "--env-file", "--cidfile", "-h",
            "--hostname"},
}
VALUE_FLAGS["create"] = VALUE_FLAGS["run"]
BIG_HIDDEN = 1_000_000  # a deleted file this big makes the RUN rm hint worth showing


@dataclass(frozen=True)
class Cmd:
    """What a rule sees of a command: its verb, operands, flags, Docker's text, exit."""

    verb: str
    args: list[str]
    flags: set[str]
    err: str  # stderr then stdout, as Docker printed them
    code: int


@dataclass
class Explainer:
    """Hints for one session. A hint about a command that did nothing useful (a forced
    untag) is shown once; hints about failures every time. ``notes`` adds the once-only
    teaching notes on commands that worked as the learner may not expect (an implicit
    pull): lessons turn them on, the plain shell does not."""

    notes: bool = False
    shown: set[str] = field(default_factory=set)

    def explain(self, world, host: str, line: str, result) -> str | None:
        try:
            argv = shlex.split(line.strip())
        except ValueError:
            return None
        if len(argv) < 2 or argv[0] != "docker":
            return None
        verb = ALIASES.get(tuple(argv[1:3]), argv[1])
        rest = argv[3:] if tuple(argv[1:3]) in ALIASES else argv[2:]
        cmd = Cmd(verb, _positionals(verb, rest), {t for t in rest if t.startswith("-")},
                  result.stderr + result.stdout, result.exit_code)
        engine = world.hosts[host].engine
        for rule in RULES:
            found = rule(world, engine, cmd)
            if found is None:
                continue
            key, text = found
            if key.startswith("note:") and not self.notes:
                return None
            if key.startswith(("once:", "note:")):
                if key in self.shown:
                    return None
                self.shown.add(key)
            return text
        return None


def _positionals(verb: str, rest: list[str]) -> list[str]:
    out, skip = [], False
    takes = VALUE_FLAGS.get(verb, set())
    for i, tok in enumerate(rest):
        if skip:
            skip = False
            continue
        if tok == "--":
            out += rest[i + 1:]
            break
        if tok.startswith("-") and tok != "-":
            skip = "=" not in tok and tok in takes
            continue
        out.append(tok)
        if verb in ("run", "create", "exec"):
            out += rest[i + 1:]
            break
    return out


def _image(engine, text: str):
    try:
        return engine.images.get(text)
    except DockerError:
        return None


def _container(engine, text: str):
    try:
        return engine.container(text)
    except DockerError:
        return None


def _made_from(engine, image) -> str:
    users = sorted(engine.image_users(image.id), key=lambda c: c.created)
    return ", ".join(f"{c.name} ({c.state})" for c in users)


# ---- the rules: (world, engine, cmd) -> (key, hint) or None ---------------------------
def image_used_as_container(world, engine, cmd: Cmd):
    """stop/start/kill/rm/exec/logs of a name that is an image, not a container."""
    if cmd.code == 0 or "No such container: " not in cmd.err or not cmd.args:
        return None
    missing = re.search(r"No such container: (\S+)", cmd.err).group(1)
    image = _image(engine, missing)
    if image is None:
        return None
    users = _made_from(engine, image)
    if cmd.verb == "start":
        made = f" Containers made from it: {users}." if users else ""
        return "start-image", (f"'{missing}' is an image, and docker start starts an existing "
                               f"container. Make one from the image with docker run "
                               f"{missing}.{made}")
    if cmd.verb == "rm":
        return "rm-image", (f"'{missing}' is an image; docker rm removes containers. Remove "
                            f"the image with docker rmi {missing}"
                            + (f" (after its containers: {users})." if users else "."))
    if users:
        return "image-runs", (f"images don't run: these containers were made from "
                              f"'{missing}': {users}. Use a container's name.")
    return "image-runs", (f"images don't run: '{missing}' is an image and no container was "
                          f"made from it yet; docker run {missing} makes one.")


def tag_order(world, engine, cmd: Cmd):
    """``docker tag NEW EXISTING``: the operands the wrong way round."""
    if cmd.verb != "tag" or cmd.code == 0 or len(cmd.args) != 2 or "No such image" not in cmd.err:
        return None
    new, existing = cmd.args
    if _image(engine, new) is not None or _image(engine, existing) is None:
        return None
    return "tag-order", (f"docker tag takes the existing image first, then the new name: "
                         f"docker tag {existing} {new}")


def exec_stopped(world, engine, cmd: Cmd):
    if cmd.verb != "exec" or cmd.code == 0 or "is not running" not in cmd.err or not cmd.args:
        return None
    c = _container(engine, cmd.args[0])
    state = c.state if c is not None else "stopped"
    return "exec-stopped", (f"exec starts a new process inside a running container, and "
                            f"'{cmd.args[0]}' is {state}: docker start {cmd.args[0]} first.")


def push_container(world, engine, cmd: Cmd):
    if cmd.verb != "push" or cmd.code == 0 or not cmd.args:
        return None
    name = cmd.args[0]
    c = _container(engine, name)
    if "does not exist locally" in cmd.err and c is not None:
        return "push-container", (f"'{name}' is a container; a registry stores images. Save "
                                  f"its writable layer as an image first: docker commit {name}"
                                  f" localhost:5000/{name}:1, then push that.")
    if "denied: requested access to the resource is denied" in cmd.err:
        return "push-denied", (f"Docker Hub only takes pushes to repositories you own. Tag "
                               f"it for this world's own registry and push that: docker tag "
                               f"{name} localhost:5000/{name.rsplit('/', 1)[-1]}")
    return None


def pull_container(world, engine, cmd: Cmd):
    if cmd.verb != "pull" or cmd.code == 0 or not cmd.args:
        return None
    c = _container(engine, cmd.args[0].split(":")[0])
    if c is None:
        return None
    return "pull-container", (f"'{c.name}' is a container on this host; pull fetches images "
                              f"from a registry. It was made from the image "
                              f"'{c.image_ref}'.")


def run_container(world, engine, cmd: Cmd):
    if cmd.verb not in ("run", "create") or cmd.code == 0 or not cmd.args:
        return None
    c = _container(engine, cmd.args[0].split(":")[0])
    if c is None or _image(engine, cmd.args[0]) is not None:
        return None
    return "run-container", (f"'{c.name}' is a container; docker run makes a new container "
                             f"from an image. To run that one again: docker start {c.name}")


def rmi_in_use(world, engine, cmd: Cmd):
    if cmd.verb != "rmi" or not cmd.args:
        return None
    if cmd.code != 0 and "No such image" in cmd.err:
        c = _container(engine, cmd.args[0].split(":")[0])
        if c is not None:
            return "rmi-container", (f"'{c.name}' is a container; docker rmi removes images. "
                                     f"docker rm {c.name} removes the container.")
        return None
    if cmd.code != 0 and "conflict: unable to" in cmd.err and "container" in cmd.err:
        names: set[str] = set()
        for short in re.findall(r"\b([0-9a-f]{12})\b", cmd.err):
            image_id = engine.images.search(short)
            if image_id is not None:
                names.update(c.name for c in engine.image_users(image_id))
            elif (c := _container(engine, short)) is not None:
                names.add(c.name)
        users = f" ({', '.join(sorted(names))})" if names else ""
        return "rmi-in-use", ("a container holds its image, even a stopped one: its writable "
                              "layer sits on the image's layers. Remove its containers "
                              f"first{users}, then the image.")
    return None


def forced_untag(world, engine, cmd: Cmd):
    """``rmi -f`` of an image still needed only takes the names away; the layers stay."""
    forced = bool(cmd.flags & {"-f", "--force"})
    if cmd.verb != "rmi" or cmd.code != 0 or not forced or "Untagged: " not in cmd.err:
        return None
    records = list(world.trace)
    start = max((i for i, r in enumerate(records) if isinstance(r.event, ev.CommandStarted)),
                default=0)
    untagged = {r.event.image_id for r in records[start:]
                if isinstance(r.event, ev.ImageUntagged) and r.event.host == engine.host}
    for image_id in sorted(untagged):
        if image_id not in engine.images:
            continue
        users = sorted(c.name for c in engine.image_users(image_id))
        if users:
            return "once:forced-untag", (f"rmi -f only removed the name: container "
                                         f"{', '.join(users)} still uses the image, so its "
                                         "layers stay on disk (as <none>) until that "
                                         "container is removed.")
        if engine.images.children(image_id):
            return "once:forced-untag-parent", (
                "rmi -f only removed the name: another image is built on this one, so its "
                "layers stay on disk for as long as that image does.")
    return None


def rm_running(world, engine, cmd: Cmd):
    if cmd.verb != "rm" or cmd.code == 0:
        return None
    name = cmd.args[0] if cmd.args else "it"
    if "container is paused" in cmd.err:
        return "rm-paused", (f"a paused container is frozen, not stopped: docker unpause "
                             f"{name} and docker stop {name} first, or docker rm -f {name}.")
    if "container is running" not in cmd.err:
        return None
    return "rm-running", (f"create → start → stop → rm: stop {name} first (docker stop "
                          f"{name}), or docker rm -f {name} to kill and remove at once.")


def name_in_use(world, engine, cmd: Cmd):
    if cmd.verb not in ("run", "create") or cmd.code == 0 \
            or "is already in use by container" not in cmd.err:
        return None
    name = re.search(r'container name "/([^"]+)"', cmd.err)
    n = name.group(1) if name else "it"
    c = _container(engine, n)
    state = f"{c.state} " if c is not None else ""
    again = ("it is already running, so use it as it is" if c is not None and c.running
             else f"docker start {n} runs that one again")
    return "name-in-use", (f"the name '{n}' is taken by an existing {state}container: {again}; "
                           f"docker rm -f {n} frees the name.")


def file_lost_with_container(world, engine, cmd: Cmd):
    """A file that is not there any more because it lived in a removed container's upper
    dir: the writable layer goes with the container."""
    if cmd.verb not in ("exec", "run") or "No such file or directory" not in cmd.err:
        return None
    asked = set(re.findall(r"(/[^\s:']+)", "\n".join(
        ln for ln in cmd.err.splitlines() if "No such file or directory" in ln)))
    written: dict[str, str] = {}
    removed: set[str] = set()
    names: dict[str, str] = {}
    for record in world.trace:
        e = record.event
        if isinstance(e, ev.ContainerCreated):
            names[e.container_id] = e.name
        elif isinstance(e, ev.ContainerFilesChanged):
            for path, what, _size in e.changes:
                if what in ("write", "copy-up"):
                    written[path] = e.container_id
        elif isinstance(e, ev.ContainerRemoved):
            removed.add(e.container_id)
    for path in sorted(asked):
        cid = written.get(path)
        if cid in removed:
            return "file-lost", (f"{path} was written in the writable layer of container "
                                 f"'{names.get(cid, cid[:12])}', which is removed, and the "
                                 "layer went with it. Keep data in a volume: docker run -v "
                                 f"NAME:{path.rsplit('/', 1)[0] or '/data'} ...")
    return None


def run_rm_big_file(world, engine, cmd: Cmd):
    """A build whose RUN rm deleted a big file that an earlier layer added."""
    if cmd.verb != "build" or cmd.code != 0:
        return None
    built = [r.event for r in world.trace if isinstance(r.event, ev.ImageBuilt)]
    if not built:
        return None
    image = engine.images.images.get(built[-1].image_id)
    if image is None:
        return None
    for i, layer in enumerate(image.layers):
        for path, entry in sorted(layer.files.items()):
            if entry.kind != "whiteout":
                continue
            for lower in image.layers[:i]:
                below = lower.files.get(path)
                if below is not None and below.kind == "file" and below.size >= BIG_HIDDEN:
                    mb = below.size / 1e6
                    return "run-rm", (f"deleting {path} in a later step only wrote a whiteout: "
                                      f"its {mb:.0f}MB still sit in the layer that added it, "
                                      "so the image is no smaller. Delete it in the same RUN "
                                      "that creates it, or never copy it in.")
    return None


def implicit_pull(world, engine, cmd: Cmd):
    if cmd.verb not in ("run", "create") or cmd.code != 0 \
            or "Unable to find image" not in cmd.err:
        return None
    return "note:implicit-pull", ("there was no such image on this host, so docker run "
                                  "pulled it first: a container is always made from a local "
                                  "image.")


RULES = (image_used_as_container, tag_order, exec_stopped, push_container, pull_container,
         run_container, rmi_in_use, forced_untag, rm_running, name_in_use,
         file_lost_with_container, run_rm_big_file, implicit_pull)

__all__ = ["Explainer", "PREFIX", "RULES"]
