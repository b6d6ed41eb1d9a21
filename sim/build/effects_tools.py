"""Built-in estimates for build tools (go, cargo, make, mvn, gradle), downloads (curl,
wget) and archives (tar -x, unzip).

Like effects_packages.py, each handler reads one simple command's arguments and returns the
files it would write, with the typical sizes of effects_table.py; effects_estimate.py
dispatches to them by program name. Split from effects.py to keep modules small.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

from ..cli.units import human_size
from . import effects_table as T
from .effects_cmdline import ASSIGNMENT, Context, install_seconds, norm, table
from .effects_model import RunEffect

# ---- build tools ---------------------------------------------------------------------

_GO_ARG_OPTS = frozenset({"-o", "-ldflags", "-gcflags", "-asmflags", "-tags", "-mod", "-p",
                          "-modfile", "-overlay", "-pkgdir", "-toolexec", "-buildmode",
                          "-compiler", "-installsuffix"})


def go(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """go build -o, go install, go mod download (typical sizes)."""
    sub = args[0] if args else ""
    out: str | None = None
    packages: list[str] = []
    i = 1
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if option.replace("--", "-", 1) in _GO_ARG_OPTS:
            value = attached if eq else (args[i] if i < len(args) else "")
            i += 0 if eq else 1
            if option.lstrip("-") == "o":
                out = value
        elif not arg.startswith("-"):
            packages.append(arg)
    gopath = ctx.env.get("GOPATH", "/go")
    if sub == "build":
        target = packages[-1] if packages else "."
        binary = posixpath.basename(target.rstrip("/").removesuffix("/...").lstrip("./") or "")
        binary = binary or posixpath.basename(ctx.workdir) or "main"
        if out is None:
            path = f"{ctx.workdir}/{binary}"
        elif out.endswith("/"):
            path = f"{ctx.path(out)}/{binary}"
        else:
            path = ctx.path(out)
        return table([(path, T.ASSUMED_GO_BINARY)], duration=T.ASSUMED_GO_BUILD_SECONDS,
                      note=f"go build: a {human_size(T.ASSUMED_GO_BINARY)} binary at {path} "
                           "assumed (typical Go service)")
    if sub == "install" and packages:
        bindir = ctx.env.get("GOBIN", f"{gopath}/bin")
        names = [posixpath.basename(p.split("@", 1)[0].rstrip("/")) for p in packages]
        return table([(f"{bindir}/{n}", T.ASSUMED_GO_BINARY) for n in names],
                      duration=T.ASSUMED_GO_BUILD_SECONDS,
                      note=f"go install: {human_size(T.ASSUMED_GO_BINARY)} per binary assumed")
    if sub == "mod" and packages[:1] in (["download"], ["tidy"]):
        cache = ctx.env.get("GOMODCACHE", f"{gopath}/pkg/mod")
        return table([(cache, T.ASSUMED_GO_MODULES)],
                      duration=install_seconds(T.ASSUMED_GO_MODULES),
                      note=f"go mod {packages[0]}: {human_size(T.ASSUMED_GO_MODULES)} of modules "
                           "assumed")
    return None


def cargo(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """cargo build [--release]: the whole target/ directory stays in the layer."""
    if not args or args[0] != "build":
        return None
    release = "--release" in args or "-r" in args
    target = ctx.env.get("CARGO_TARGET_DIR", "target")
    if "--target-dir" in args[:-1]:
        target = args[args.index("--target-dir") + 1]
    size = T.ASSUMED_CARGO_RELEASE_TARGET if release else T.ASSUMED_CARGO_DEBUG_TARGET
    seconds = T.ASSUMED_CARGO_RELEASE_SECONDS if release else T.ASSUMED_CARGO_DEBUG_SECONDS
    return table([(ctx.path(target), size)], duration=seconds,
                  note=f"cargo build{' --release' if release else ''}: target/ of "
                       f"{human_size(size)} assumed (compiled dependencies included)")


def make(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """make [targets]: build output in the tree, or ``install`` into /usr/local."""
    directory = ctx.workdir
    targets: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("-j", "--jobs", "-l", "--load-average"):
            i += bool(i < len(args) and re.fullmatch(r"[0-9.]+|__subst__", args[i]))
        elif arg in ("-C", "--directory", "-f", "--file", "--makefile", "-I", "-o", "-W"):
            if arg in ("-C", "--directory") and i < len(args):
                directory = ctx.path(args[i])
            i += 1
        elif not arg.startswith("-") and not ASSIGNMENT.fullmatch(arg):
            targets.append(arg)
    if targets and all(t in ("clean", "distclean") for t in targets):
        return table(duration=1.0, note="make clean: nothing left to remove assumed")
    writes = []
    seconds = 0.0
    if not targets or any(t not in ("install", "clean", "distclean") for t in targets):
        writes.append((f"{directory}/build", T.ASSUMED_MAKE_OUTPUT))
        seconds += T.ASSUMED_MAKE_SECONDS
    if "install" in targets:
        writes.append(("/usr/local/bin", T.ASSUMED_MAKE_OUTPUT))
        seconds += 3.0
    shown = " ".join(["make", *targets])
    return table(writes, duration=seconds,
                  note=f"{shown}: {human_size(T.ASSUMED_MAKE_OUTPUT)} of build output assumed")


_MAVEN_ARG_OPTS = frozenset({"-f", "--file", "-s", "--settings", "-P", "--activate-profiles",
                             "-pl", "--projects", "-T", "--threads", "-rf", "-gs", "-l"})


def maven(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """mvn package/install/verify (target/ and ~/.m2), dependency:go-offline, clean."""
    goals: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in _MAVEN_ARG_OPTS:
            i += 1
        elif not arg.startswith("-"):
            goals.append(arg)
    target = f"{ctx.workdir}/target"
    repo = ("/root/.m2/repository", T.ASSUMED_MAVEN_REPOSITORY)
    removes = [target] if "clean" in goals else []
    if any(g in ("package", "install", "verify", "deploy") for g in goals):
        return table([(target, T.ASSUMED_MAVEN_TARGET), repo], removes,
                      duration=T.ASSUMED_MAVEN_SECONDS,
                      note=f"mvn {' '.join(goals)}: target/ of "
                           f"{human_size(T.ASSUMED_MAVEN_TARGET)} and a local repository of "
                           f"{human_size(T.ASSUMED_MAVEN_REPOSITORY)} assumed")
    if any(g.startswith("dependency:") for g in goals):
        return table([repo], removes, duration=install_seconds(T.ASSUMED_MAVEN_REPOSITORY),
                      note=f"mvn {' '.join(goals)}: a local repository of "
                           f"{human_size(T.ASSUMED_MAVEN_REPOSITORY)} assumed")
    if removes:
        return table(removes=removes, duration=2.0)
    return None


_GRADLE_TASKS = frozenset({"build", "assemble", "bootJar", "jar", "installDist", "shadowJar",
                           "war", "bootWar", "distZip", "distTar"})


def gradle(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """gradle / ./gradlew build-like tasks: build/ and the Gradle user home."""
    tasks: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("-x", "--exclude-task", "-p", "--project-dir", "-b", "--build-file"):
            i += 1
        elif not arg.startswith("-"):
            tasks.append(arg.rsplit(":", 1)[-1])
    build = f"{ctx.workdir}/build"
    removes = [build] if "clean" in tasks else []
    if any(t in _GRADLE_TASKS for t in tasks):
        home = ctx.env.get("GRADLE_USER_HOME", "/root/.gradle")
        return table([(build, T.ASSUMED_GRADLE_BUILD), (home, T.ASSUMED_GRADLE_HOME)], removes,
                      duration=T.ASSUMED_GRADLE_SECONDS,
                      note=f"gradle {' '.join(tasks)}: build/ of "
                           f"{human_size(T.ASSUMED_GRADLE_BUILD)} and a Gradle home of "
                           f"{human_size(T.ASSUMED_GRADLE_HOME)} assumed")
    if removes:
        return table(removes=removes, duration=2.0)
    return None


# ---- downloads and archives ----------------------------------------------------------

_CURL_ARG_SHORT = frozenset("oHdXuAeTwxmbcFKrEUyYzCPQt")
_CURL_ARG_LONG = frozenset({
    "--output", "--header", "--data", "--data-raw", "--data-binary", "--data-urlencode",
    "--request", "--user", "--user-agent", "--referer", "--upload-file", "--write-out",
    "--proxy", "--max-time", "--cookie", "--cookie-jar", "--form", "--config", "--range",
    "--cert", "--cacert", "--retry", "--retry-delay", "--retry-max-time", "--connect-timeout",
    "--proto", "--proto-redir", "--url", "--output-dir", "--limit-rate", "--resolve",
})


_WGET_ARG_SHORT = frozenset("OPoatTUeiBwlQ")
_WGET_ARG_LONG = frozenset({
    "--output-document", "--directory-prefix", "--output-file", "--append-output", "--tries",
    "--timeout", "--user-agent", "--header", "--input-file", "--wait", "--level", "--quota",
    "--user", "--password", "--post-data", "--ca-certificate",
})


def _remote_name(url: str) -> str:
    return posixpath.basename(urlsplit(url).path) or "index.html"


def _download(path: str | None, tool: str) -> RunEffect:
    size = T.ASSUMED_DOWNLOAD
    where = f" to {path}" if path else " to stdout"
    return table([(path, size)] if path else [], duration=install_seconds(size),
                  note=f"{tool}: a download of unknown size{where}, {human_size(size)} assumed")


def curl(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """curl -o FILE / -O / --output-dir; without them the bytes go to stdout."""
    output: str | None = None
    remote = False
    url: str | None = None
    directory = ctx.workdir
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if arg.startswith("--"):
            if arg == "--remote-name":
                remote = True
            elif option in _CURL_ARG_LONG:
                value = attached if eq else (args[i] if i < len(args) else "")
                i += 0 if eq else 1
                if option == "--output":
                    output = value
                elif option == "--url":
                    url = url or value
                elif option == "--output-dir":
                    directory = ctx.path(value)
        elif arg.startswith("-") and len(arg) > 1:
            for k, flag in enumerate(arg[1:], start=1):
                if flag == "O":
                    remote = True
                elif flag in _CURL_ARG_SHORT:
                    value = arg[k + 1:] or (args[i] if i < len(args) else "")
                    i += 0 if arg[k + 1:] else 1
                    if flag == "o":
                        output = value
                    break
        else:
            url = url or arg
    if output is not None and output != "-":
        return _download(norm(output, directory), "curl")
    if remote and url:
        return _download(f"{directory}/{_remote_name(url)}", "curl")
    return _download(ctx.stdout, "curl")


def wget(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """wget URL (file named after the URL), -O FILE, -O- (stdout), -P DIR."""
    output: str | None = None
    directory = ctx.workdir
    url: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if arg.startswith("--"):
            if option in _WGET_ARG_LONG:
                value = attached if eq else (args[i] if i < len(args) else "")
                i += 0 if eq else 1
                if option == "--output-document":
                    output = value
                elif option == "--directory-prefix":
                    directory = ctx.path(value)
        elif arg.startswith("-") and len(arg) > 1:
            for k, flag in enumerate(arg[1:], start=1):
                if flag in _WGET_ARG_SHORT:
                    value = arg[k + 1:] or (args[i] if i < len(args) else "")
                    i += 0 if arg[k + 1:] else 1
                    if flag == "O":
                        output = value
                    elif flag == "P":
                        directory = ctx.path(value)
                    break
        else:
            url = url or arg
    if output == "-":
        return _download(ctx.stdout, "wget")
    if output is not None:
        return _download(norm(output, directory), "wget")
    return _download(f"{directory}/{_remote_name(url or '')}", "wget")


_ARCHIVE_SUFFIX = re.compile(r"\.(tar(\.(gz|xz|bz2|zst|lz4))?|tgz|txz|tbz2?|zip)$")


def _unpacked(archive: str | None, directory: str, tool: str) -> RunEffect:
    stem = _ARCHIVE_SUFFIX.sub("", posixpath.basename(archive or "")) or "archive"
    size = int(T.ASSUMED_DOWNLOAD * T.ASSUMED_UNPACK_RATIO)
    return table([(f"{directory}/{stem}", size)], duration=install_seconds(size),
                  note=f"{tool}: an archive of unknown size, {human_size(size)} unpacked "
                       f"assumed ({T.ASSUMED_UNPACK_RATIO}x a {human_size(T.ASSUMED_DOWNLOAD)} "
                       "download)")


def tar(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """tar -x[z]f ARCHIVE [-C DIR]; creating archives is left to the default."""
    extract = False
    archive: str | None = None
    directory = ctx.workdir
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if option in ("--file", "--directory", "-C", "-f"):
            value = attached if eq else (args[i] if i < len(args) else "")
            i += 0 if eq else 1
            if option in ("--file", "-f"):
                archive = value
            else:
                directory = ctx.path(value)
        elif arg in ("--extract", "--get"):
            extract = True
        elif arg.startswith("--"):
            continue
        elif arg.startswith("-") or (i == 1 and re.fullmatch(r"[A-Za-z]+", arg)):
            cluster = arg.lstrip("-")
            extract = extract or "x" in cluster
            if "f" in cluster:
                rest = cluster[cluster.index("f") + 1:]
                if arg.startswith("-") and rest:
                    archive = rest
                elif i < len(args):
                    archive = args[i]
                    i += 1
    if not extract:
        return None
    return _unpacked(None if archive == "-" else archive, directory, "tar -x")


def unzip(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    archive: str | None = None
    directory = ctx.workdir
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-d" and i < len(args):
            directory = ctx.path(args[i])
            i += 1
        elif not arg.startswith("-") and archive is None:
            archive = arg
    return _unpacked(archive, directory, "unzip") if archive else None
