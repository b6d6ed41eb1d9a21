"""``docker inspect`` documents, shaped like the Engine API's JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.container import Container
from ..model.image import Image, rfc3339

if TYPE_CHECKING:
    from ..model.engine import Engine

ZERO_TIME = "0001-01-01T00:00:00Z"


def container_json(engine: Engine, c: Container) -> dict:
    rw, virtual = engine.container_size(c)
    state = c.state
    return {
        "Id": c.id,
        "Created": rfc3339(c.created),
        "Path": c.path,
        "Args": c.args,
        "State": {
            "Status": state, "Running": c.running, "Paused": c.paused,
            "Restarting": c.restarting, "OOMKilled": False, "Dead": c.dead, "Pid": c.pid,
            "ExitCode": c.exit_code, "Error": "",
            "StartedAt": rfc3339(c.started_at) if c.started_at else ZERO_TIME,
            "FinishedAt": rfc3339(c.finished_at) if c.finished_at else ZERO_TIME,
        },
        "Image": c.image_id,
        "Name": "/" + c.name,
        "RestartCount": c.restart_count,
        "Driver": "overlay2",
        "Platform": "linux",
        "HostConfig": {
            "Binds": [f"{m.source}:{m.destination}" for m in c.mounts if not m.anonymous]
            or None,
            "RestartPolicy": {"Name": c.restart_policy.name,
                              "MaximumRetryCount": c.restart_policy.max_retries},
            "AutoRemove": c.auto_remove,
        },
        "GraphDriver": {"Name": "overlay2", "Data": {
            "UpperDir": f"/var/lib/docker/overlay2/{c.id}/diff",
            "WorkDir": f"/var/lib/docker/overlay2/{c.id}/work",
            "MergedDir": f"/var/lib/docker/overlay2/{c.id}/merged"}},
        "SizeRw": rw,
        "SizeRootFs": virtual,
        "Mounts": [
            {"Type": m.type, **({"Name": m.source} if m.type == "volume" else {}),
             "Source": (f"/var/lib/docker/volumes/{m.source}/_data" if m.type == "volume"
                        else m.source),
             "Destination": m.destination, "Driver": "local" if m.type == "volume" else "",
             "Mode": "ro" if m.read_only else "", "RW": not m.read_only, "Propagation": ""}
            for m in c.mounts],
        "Config": {
            "Hostname": c.short_id, "Tty": bool(c.config.get("Tty")),
            "OpenStdin": bool(c.config.get("OpenStdin")), "Env": c.config.get("Env"),
            "Cmd": c.config.get("Cmd"), "Image": c.image_ref,
            "WorkingDir": c.config.get("WorkingDir") or "",
            "Entrypoint": c.config.get("Entrypoint"),
            "Labels": c.config.get("Labels") or {},
        },
    }


def image_json(engine: Engine, image: Image) -> dict:
    refs = engine.images.references(image.id)
    run = image.run_config
    return {
        "Id": image.id,
        "RepoTags": [r.familiar_string() for r in refs if r.tag is not None],
        "RepoDigests": [r.familiar_string() for r in refs if r.digest is not None],
        "Parent": image.parent,
        "Comment": "buildkit.dockerfile.v0" if image.history and
        image.history[-1].get("comment") else "",
        "Created": image.config.get("created", ZERO_TIME),
        "DockerVersion": "",
        "Author": "",
        "Config": {
            "User": run.get("User", ""), "Env": run.get("Env"), "Cmd": run.get("Cmd"),
            "Entrypoint": run.get("Entrypoint"), "WorkingDir": run.get("WorkingDir", ""),
            "Labels": run.get("Labels"), "Volumes": run.get("Volumes"),
            "ExposedPorts": run.get("ExposedPorts"), "StopSignal": run.get("StopSignal"),
            "OnBuild": run.get("OnBuild"),
            **({"Shell": run["Shell"]} if run.get("Shell") else {}),
            **({"Healthcheck": run["Healthcheck"]} if run.get("Healthcheck") else {}),
        },
        "Architecture": image.config.get("architecture", "amd64"),
        "Os": image.config.get("os", "linux"),
        "Size": image.size,
        "GraphDriver": {"Name": "overlay2", "Data": None},
        "RootFS": {"Type": "layers", "Layers": image.diff_ids},
        "Metadata": {"LastTagTime": ZERO_TIME},
    }
