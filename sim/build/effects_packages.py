"""Built-in estimates for package managers: apt-get/apt, apk, pip (and ``python -m venv``),
npm/yarn/pnpm.

Each handler reads one simple command's arguments the way the tool does and returns the
files it would write, from the measured sizes in effects_table.py; effects_estimate.py
dispatches to them by program name. Split from effects.py to keep modules small.
"""

from __future__ import annotations

import posixpath
import re

from ..cli.units import human_size
from . import effects_table as T
from .effects_cmdline import Context, install_seconds, plural, table
from .effects_model import RunEffect

_APT_ARG_OPTS = frozenset({"-o", "-t", "-c", "-a", "--option", "--target-release",
                           "--default-release", "--config-file", "--host-architecture"})


def _apt_option(value: str, no_rec: bool, yes: bool) -> tuple[bool, bool]:
    key, _, val = value.partition("=")
    truth = val.strip().lower() in ("1", "true", "yes", "on")
    if key.lower() == "apt::install-recommends":
        no_rec = not truth
    elif key.lower() == "apt::get::assume-yes":
        yes = truth
    return no_rec, yes


def apt(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """apt-get/apt update, install, remove/purge, clean, upgrade (Debian 12 sizes)."""
    name = posixpath.basename(program)
    sub: str | None = None
    packages: list[str] = []
    no_rec = yes = False
    quiet = 0
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in _APT_ARG_OPTS or arg.split("=", 1)[0] in _APT_ARG_OPTS:
            if "=" in arg:
                value = arg.split("=", 1)[1]
            else:
                value = args[i] if i < len(args) else ""
                i += 1
            no_rec, yes = _apt_option(value, no_rec, yes)
        elif arg.startswith("-o") and not arg.startswith("--"):
            no_rec, yes = _apt_option(arg[2:], no_rec, yes)
        elif arg in ("--no-install-recommends", "--install-recommends"):
            no_rec = arg == "--no-install-recommends"
        elif arg in ("--yes", "--assume-yes"):
            yes = True
        elif arg.startswith("--quiet") or arg.startswith("-q="):
            quiet = max(quiet, int(arg.rpartition("=")[2]) if arg[-1].isdigit() else 1)
        elif arg.startswith("--"):
            continue
        elif arg.startswith("-") and len(arg) > 1:
            yes = yes or "y" in arg
            quiet += arg.count("q")
        elif sub is None:
            sub = arg
        else:
            packages.append(arg)
    if quiet >= 2:  # apt-get(8): quiet level 2 implies -y
        yes = True
    if sub == "update":
        size = sum(s for _, s in T.APT_LISTS)
        return table([("/var/lib/apt/lists", size)], duration=T.ASSUMED_APT_UPDATE_SECONDS,
                      note=f"{name} update: {human_size(size)} of package lists "
                           f"({T.DEBIAN_BASE_IMAGE}, lz4-compressed, measured)")
    if sub == "install":
        return _apt_install(name, packages, no_rec, yes)
    if sub in ("remove", "purge"):
        names = [_apt_name(p) for p in packages]
        return table(removes=[f"/usr/lib/{n}" for n in names], duration=1.0)
    if sub in ("clean", "autoclean"):
        return table(removes=["/var/cache/apt/archives/*.deb"], duration=0.2)
    if sub in ("autoremove", "upgrade", "dist-upgrade", "full-upgrade"):
        return table(duration=3.0, note=f"{name} {sub}: nothing to change assumed")
    return None


def _apt_name(token: str) -> str:
    """Package name from ``git``, ``git=1:2.39*``, ``git/bookworm-backports``, ``x_1.0.deb``."""
    if token.endswith(".deb"):
        return posixpath.basename(token).split("_", 1)[0].lower()
    return re.split(r"[=/]", token, maxsplit=1)[0].split(":", 1)[0].lower()


def _apt_install(name: str, packages: list[str], no_rec: bool, yes: bool) -> RunEffect:
    requested = [_apt_name(p) for p in packages]
    new: dict[str, int] = {}
    unknown: list[str] = []
    present: list[str] = []
    for package in requested:
        if package in T.DEBIAN_DEPENDS:
            closure = T.DEBIAN_DEPENDS[package].split()
            if not no_rec:
                closure += T.DEBIAN_RECOMMENDS.get(package, "").split()
            for dep in closure:
                new.setdefault(dep, T.DEBIAN_KIB[dep] * 1024)
        elif package in T.DEBIAN_BASE_PACKAGES:
            present.append(package)
        else:
            unknown.append(package)
            new.setdefault(package, T.ASSUMED_DEBIAN_PACKAGE)
    shown = f"{name} install {' '.join(requested)}"
    if not yes and any(dep not in requested for dep in new):
        return table(duration=1.0, exit_code=1,
                      note=f"{shown} without -y: apt asks 'Do you want to continue? [Y/n]', "
                           "reads end of input (a build has no terminal) and aborts")
    total = sum(new.values())
    parts = [f"{shown}: {human_size(total)} in {plural(len(new), 'package')} with "
             f"dependencies{'' if no_rec else ' and Recommends'} ({T.DEBIAN_RELEASE} "
             "installed sizes, approximate)"]
    parts += [f"{p}: not in the table, {human_size(T.ASSUMED_DEBIAN_PACKAGE)} assumed"
              for p in unknown]
    parts += [f"{p}: already in {T.DEBIAN_BASE_IMAGE}" for p in present]
    return table([(f"/usr/lib/{dep}", size) for dep, size in new.items()],
                  duration=install_seconds(total), note="; ".join(parts))


_APK_ARG_OPTS = frozenset({"-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch",
                           "--keys-dir", "--repositories-file", "--cache-dir"})


def apk(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """apk add/del/update/upgrade (Alpine sizes, rounded approximations)."""
    sub: str | None = None
    packages: list[str] = []
    no_cache = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in _APK_ARG_OPTS:
            i += 1
        elif arg == "--no-cache":
            no_cache = True
        elif arg.startswith("-"):
            continue
        elif sub is None:
            sub = arg
        else:
            packages.append(arg)
    names = [re.split(r"[=<>~@]", p, maxsplit=1)[0].lower() for p in packages]
    index = [] if no_cache else [("/var/cache/apk", T.ASSUMED_APK_INDEX)]
    if sub == "add":
        sizes = {n: int(T.ALPINE_MB[n] * 1_000_000) if n in T.ALPINE_MB
                 else T.ASSUMED_ALPINE_PACKAGE for n in names}
        total = sum(sizes.values())
        parts = [f"apk add {' '.join(names)}: {human_size(total)} (Alpine installed sizes "
                 "with dependencies, rounded approximations)"]
        parts += [f"{n}: not in the table, {human_size(T.ASSUMED_ALPINE_PACKAGE)} assumed"
                  for n in names if n not in T.ALPINE_MB]
        if index:
            parts.append(f"{human_size(T.ASSUMED_APK_INDEX)} of indexes left in "
                         "/var/cache/apk (--no-cache avoids it)")
        return table([(f"/usr/lib/{n}", s) for n, s in sizes.items()] + index,
                      duration=install_seconds(total), note="; ".join(parts))
    if sub == "del":
        return table(removes=[f"/usr/lib/{n}" for n in names], duration=0.5)
    if sub == "update":
        return table([("/var/cache/apk", T.ASSUMED_APK_INDEX)], duration=2.0,
                      note=f"apk update: {human_size(T.ASSUMED_APK_INDEX)} of indexes assumed")
    if sub == "upgrade":
        return table(duration=3.0, note="apk upgrade: nothing to change assumed")
    return None


_PIP_ARG_OPTS = frozenset({
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "--trusted-host", "--timeout", "--retries",
    "-t", "--target", "--prefix", "--root", "--platform", "--python-version",
    "--implementation", "--abi", "--only-binary", "--no-binary", "--progress-bar",
    "--cache-dir", "--src", "--upgrade-strategy", "--log", "--proxy", "--cert",
    "--client-cert", "--exists-action", "--report", "--config-settings", "-C",
})


def _python_version(program: str) -> str:
    match = re.search(r"(\d\.\d+)$", posixpath.basename(program))
    return match.group(1) if match else T.ASSUMED_PYTHON


def _pip_name(spec: str, ctx: Context) -> str:
    """Normalized distribution name of a requirement (``Flask[async]>=3`` -> ``flask``)."""
    if "://" in spec or spec.startswith((".", "/")) or spec.endswith((".whl", ".tar.gz")):
        base = posixpath.basename(ctx.path(spec).rstrip("/")) or "project"
        return re.split(r"[-_.]", base, maxsplit=1)[0].lower() or "project"
    match = re.match(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)", spec)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else spec.lower()


def pip(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """pip install / uninstall into the interpreter's site-packages (measured PyPI sizes)."""
    if args[:2] == ["-m", "pip"]:
        args = args[2:]
    version = _python_version(program)
    prefix = posixpath.dirname(posixpath.dirname(program)) if "/bin/" in program else ""
    if prefix in ("", "/", "/usr", "/usr/local"):
        site = f"/usr/local/lib/python{version}/site-packages"
    else:
        site = f"{ctx.path(prefix)}/lib/python{version}/site-packages"
    sub: str | None = None
    specs: list[str] = []
    requirements: list[str] = []
    no_cache = "PIP_NO_CACHE_DIR" in ctx.env
    no_deps = False
    cache = "/root/.cache/pip"
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        option, eq, attached = arg.partition("=")
        if option in _PIP_ARG_OPTS:
            value = attached if eq else (args[i] if i < len(args) else "")
            i += 0 if eq else 1
            if option in ("-r", "--requirement"):
                requirements.append(value)
            elif option in ("-e", "--editable"):
                specs.append(value)
            elif option in ("-t", "--target"):
                site = ctx.path(value)
            elif option == "--prefix":
                site = f"{ctx.path(value)}/lib/python{version}/site-packages"
            elif option == "--cache-dir":
                cache = ctx.path(value)
        elif arg.startswith("-r") and len(arg) > 2 and not arg.startswith("--"):
            requirements.append(arg[2:])
        elif arg == "--no-cache-dir":
            no_cache = True
        elif arg == "--no-deps":
            no_deps = True
        elif arg == "--user":
            site = f"/root/.local/lib/python{version}/site-packages"
        elif arg.startswith("-"):
            continue
        elif sub is None:
            sub = arg
        else:
            specs.append(arg)
    if sub == "uninstall":
        return table(removes=[f"{site}/{_pip_name(s, ctx)}" for s in specs], duration=1.0)
    if sub != "install":
        return None
    dists: dict[str, tuple[int, int]] = {}
    unknown: list[str] = []
    for spec in specs:
        req = _pip_name(spec, ctx)
        if req in T.PIP_REQUIRES:
            for dist in [req] if no_deps else T.PIP_REQUIRES[req].split():
                dists.setdefault(dist, T.PIP_DISTS[dist][:2])
        else:
            unknown.append(req)
            dists.setdefault(req, (T.ASSUMED_PIP_PACKAGE,
                                   int(T.ASSUMED_PIP_PACKAGE * T.ASSUMED_WHEEL_RATIO)))
    writes = [(f"{site}/{dist}", size) for dist, (size, _) in dists.items()]
    wheels = [(f"{cache}/http-v2/{dist}", wheel) for dist, (_, wheel) in dists.items()]
    parts = []
    measured = [size for dist, (size, _) in dists.items() if dist not in unknown]
    if measured:
        known = [s for s in specs if _pip_name(s, ctx) not in unknown]
        parts.append(f"pip install {' '.join(known)}: {human_size(sum(measured))} in "
                     f"{plural(len(measured), 'distribution')} (PyPI wheels for CPython 3.11, "
                     "installed sizes measured, approximate)")
    parts += [f"pip install {u}: not in the table, {human_size(T.ASSUMED_PIP_PACKAGE)} assumed"
              for u in unknown]
    if requirements:
        count = T.ASSUMED_REQUIREMENTS * len(requirements)
        size = count * T.ASSUMED_PIP_PACKAGE
        writes.append((site, size))
        wheels.append((f"{cache}/http-v2", int(size * T.ASSUMED_WHEEL_RATIO)))
        parts.append(f"pip install -r {' '.join(requirements)}: {count} requirements x "
                     f"{human_size(T.ASSUMED_PIP_PACKAGE)} assumed")
    installed = sum(s for _, s in writes)
    if not no_cache and wheels:
        parts.append(f"{human_size(sum(s for _, s in wheels))} of wheels cached in {cache} "
                     "(--no-cache-dir avoids it)")
        writes += wheels
    return table(writes, duration=install_seconds(installed), note="; ".join(parts))


def venv(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """``python -m venv DIR``: the venv and its own copy of pip (measured)."""
    dirs = [a for a in args[2:] if not a.startswith("-")]
    if not dirs:
        return None
    size = T.PIP_DISTS["pip"][0]
    return table([(ctx.path(d), size) for d in dirs], duration=3.0,
                  note=f"python -m venv: {human_size(size)} per venv, its pip (measured)")


_NPM_ARG_OPTS = frozenset({"--omit", "--include", "--registry", "--prefix", "--loglevel",
                           "--cache", "--userconfig", "-w", "--workspace", "--only"})
_PROD_FLAGS = ("--production", "--prod", "--omit=dev", "--only=prod", "--only=production")


def node(program: str, args: list[str], ctx: Context) -> RunEffect | None:
    """npm/yarn/pnpm installs (node_modules) and ``run build`` (dist/), typical sizes."""
    tool = posixpath.basename(program)
    positional: list[str] = []
    flags: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in _NPM_ARG_OPTS:
            flags.append(f"{arg}={args[i] if i < len(args) else ''}")
            i += 1
        elif arg.startswith("-"):
            flags.append(arg)
        else:
            positional.append(arg)
    sub = positional[0] if positional else ("install" if tool == "yarn" else "")
    rest = positional[1:]
    if sub in ("ci", "install", "i", "add") and not (rest and sub != "ci"):
        production = any(f in _PROD_FLAGS for f in flags) or ctx.env.get("NODE_ENV") == "production"
        size = int(T.ASSUMED_NODE_MODULES * (T.ASSUMED_NODE_PROD_SHARE if production else 1))
        kind = "production dependencies" if production else "dependencies"
        return table([(f"{ctx.workdir}/node_modules", size)],
                      duration=install_seconds(size, T.ASSUMED_NODE_RATE),
                      note=f"{tool} {sub}: node_modules of {human_size(size)} assumed "
                           f"(typical {kind}; approximate)")
    if sub in ("install", "i", "add"):
        global_ = "-g" in flags or "--global" in flags
        root = "/usr/local/lib/node_modules" if global_ else f"{ctx.workdir}/node_modules"
        names = [p[:1] + p[1:].split("@", 1)[0] for p in rest]  # @scope/pkg@1.2 -> @scope/pkg
        size = T.ASSUMED_NPM_PACKAGE * len(names)
        return table([(f"{root}/{n}", T.ASSUMED_NPM_PACKAGE) for n in names],
                      duration=install_seconds(size, T.ASSUMED_NODE_RATE),
                      note=f"{tool} {sub} {' '.join(names)}: "
                           f"{human_size(T.ASSUMED_NPM_PACKAGE)} per package assumed")
    script = rest[0] if sub in ("run", "run-script") and rest else sub
    if script == "build" or script.startswith("build:"):
        return table([(f"{ctx.workdir}/dist", T.ASSUMED_WEB_BUNDLE)],
                      duration=T.ASSUMED_WEB_BUILD_SECONDS,
                      note=f"{tool} run {script}: a {human_size(T.ASSUMED_WEB_BUNDLE)} bundle in "
                           "dist/ assumed")
    if sub == "cache" and "clean" in rest:
        home = "/usr/local/share/.cache/yarn" if tool == "yarn" else "/root/.npm"
        return table(removes=[home], duration=0.5)
    return None
