"""Small programs about the process and its environment (true, pwd, id, hostname, env,
sleep), and fallocate and dd, which make big files without holding their bytes."""

from __future__ import annotations

import math
import re

from .errors import FSError
from .layer import DIR
from .progs_common import getopt, human_rate, human_round, parse_size, xstrtoumax
from .shell_io import Blob, Ctx, quoteaf, read_blob, resolve, write_blob

DD_BYTES_PER_SECOND = 1.2e9  # simulated disk speed, so dd reports a plausible time and rate


# --- the process and its environment -----------------------------------------------------


def true(ctx: Ctx, args: list[str]) -> int:
    return 0


def false(ctx: Ctx, args: list[str]) -> int:
    return 1


def pwd(ctx: Ctx, args: list[str]) -> int:
    ctx.say(resolve(ctx.fs, ctx.cwd) if "-P" in args else ctx.cwd)
    return 0


def whoami(ctx: Ctx, args: list[str]) -> int:
    ctx.say(ctx.accounts.user_name(0))
    return 0


def id_(ctx: Ctx, args: list[str]) -> int:
    u, g = ctx.accounts.user_name(0), ctx.accounts.group_name(0)
    ctx.say(f"uid=0({u}) gid=0({g}) groups=0({g})")
    return 0


def hostname(ctx: Ctx, args: list[str]) -> int:
    """Docker sets HOSTNAME and /etc/hostname to the container's short id."""
    name = ctx.env.get("HOSTNAME")
    if name is None:
        try:
            name = (ctx.fs.read("/etc/hostname") or b"").decode().strip() or "localhost"
        except FSError:
            name = "localhost"
    ctx.say(name)
    return 0


def env(ctx: Ctx, args: list[str]) -> int:
    variables = dict(ctx.env)
    while args and args[0].startswith("-"):  # options end at the first operand
        opt, args = args[0], args[1:]
        if opt == "--":
            break
        if opt in ("-i", "-", "--ignore-environment"):
            variables = {}
        elif opt.startswith("-u") and (opt != "-u" or args):
            name = opt[2:] or args.pop(0)
            variables.pop(name, None)
        elif opt == "-u":
            return ctx.usage("option requires an argument -- 'u'", 125)
        else:
            return ctx.usage(f"invalid option -- '{opt[1:2]}'", 125)
    while args and "=" in args[0] and not args[0].startswith("="):
        key, _, val = args[0].partition("=")
        variables[key] = val
        args = args[1:]
    if not args:
        for key, val in variables.items():
            ctx.say(f"{key}={val}")
        return 0
    status = ctx.run(args, variables) if ctx.run is not None else None
    if status is None:
        return ctx.fail(f"{quoteaf(args[0])}: No such file or directory", 127)
    return status


def printenv(ctx: Ctx, args: list[str]) -> int:
    if not args:
        return env(ctx, [])
    missing = 0
    for name in args:
        if name in ctx.env:
            ctx.say(ctx.env[name])
        else:
            missing = 1
    return missing


SLEEP_FOREVER = 100 * 365.25 * 86400  # seconds: longer sleeps never end in a simulation


def sleep(ctx: Ctx, args: list[str]) -> int:
    """Adds simulated time: the container is busy, nothing really waits."""
    if not args:
        return ctx.usage("missing operand")
    total = 0.0
    for a in args:
        # strtod reads inf/infinity in any case; GNU's suffixes are lower case only
        m = re.fullmatch(r"\s*\+?((?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|(?i:inf|infinity))"
                         r"([smhd]?)", a)
        if m is None:
            return ctx.usage(f"invalid time interval {quoteaf(a)}")
        total += float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    # past a century it is ``sleep infinity`` for any simulation, and keeps the clock finite
    ctx.duration += total if total <= SLEEP_FOREVER else math.inf
    return 0


# --- making big files: fallocate, dd (and head -c in progs_text) -------------------------

def fallocate(ctx: Ctx, args: list[str]) -> int:
    parsed = getopt(ctx, args, "l:o:nvx", {"length": "l", "offset": "o", "keep-size": "n"})
    if isinstance(parsed, int):
        return parsed
    opts, ops = dict(parsed[0]), parsed[1]
    if not ops:
        return ctx.fail("no filename specified")
    if len(ops) > 1:
        return ctx.fail("unexpected number of arguments")
    if "l" not in opts:
        return ctx.fail("no length argument specified")
    length = parse_size(opts["l"])
    offset = parse_size(opts.get("o", "0"))
    if not length:
        return ctx.fail("invalid length value specified")
    if offset is None:
        return ctx.fail("invalid offset value specified")
    real, entry = ctx.lookup(ops[0])
    size = entry.size if entry is not None else 0
    try:
        if entry is not None and entry.kind == DIR:
            raise FSError("EISDIR", ops[0])
        new = size if "n" in opts else max(size, offset + length)
        if entry is None or new != size:
            ctx.fs.write(real, None, size=new)
    except FSError as e:
        if e.errno_name == "ENOSPC":  # util-linux: the open worked, fallocate(2) did not
            return ctx.fail(f"fallocate failed: {e.strerror}")
        return ctx.fail(f"cannot open {ops[0]}: {e.strerror}")
    return 0


def dd(ctx: Ctx, args: list[str]) -> int:
    ops: dict[str, str] = {}
    for a in args:
        key, eq, val = a.partition("=")
        if not eq or key not in ("if", "of", "bs", "ibs", "obs", "count", "skip", "seek",
                                 "conv", "status", "iflag", "oflag", "cbs"):
            return ctx.usage(f"unrecognized operand {quoteaf(a)}")
        ops[key] = val
    nums: dict[str, int] = {}
    for key in ("bs", "ibs", "obs", "count", "skip", "seek", "cbs"):
        if key in ops:
            n = xstrtoumax(ops[key], "bcEGkKMPTwYZ0")
            if n is None or (n == 0 and key in ("bs", "ibs", "obs", "cbs")):
                return ctx.fail(f"invalid number: {quoteaf(ops[key])}")
            nums[key] = n
    status_level = ops.get("status", "")
    if status_level not in ("", "none", "noxfer", "progress"):
        return ctx.usage(f"invalid status level: {quoteaf(status_level)}")
    ibs = nums.get("bs", nums.get("ibs", 512))
    obs = nums.get("bs", nums.get("obs", 512))
    try:
        blob = read_blob(ctx, ops["if"]) if "if" in ops else ctx.stdin_blob()
    except FSError as e:
        return ctx.fail(f"failed to open {quoteaf(ops['if'])}: {e.strerror}")
    skipped = nums.get("skip", 0) * ibs
    available = math.inf if blob.endless else max(blob.size - skipped, 0)
    total = min(nums["count"] * ibs, available) if "count" in nums else available
    if math.isinf(total):  # dd if=/dev/zero without count= runs until the disk is full
        ctx.duration = math.inf
        return 0
    total = int(total)
    if blob.data is not None:
        out = Blob(blob.data[skipped : skipped + total], total)
    else:
        out = Blob(None, total)
    if "of" in ops:
        real, entry = ctx.lookup(ops["of"])
        seek = nums.get("seek", 0) * obs
        try:
            if entry is not None and entry.kind == DIR:
                raise FSError("EISDIR", ops["of"])
            write_blob(ctx.fs, real, Blob(None, seek + total) if seek else out)
        except FSError as e:
            doing = "error writing" if e.errno_name == "ENOSPC" else "failed to open"
            return ctx.fail(f"{doing} {quoteaf(ops['of'])}: {e.strerror}")
    else:
        ctx.out.write_blob(out)
    seconds = 0.0002 + total / DD_BYTES_PER_SECOND
    ctx.duration += seconds
    if status_level != "none":
        rin, rout = divmod(total, ibs), divmod(total, obs)
        ctx.err.write(f"{rin[0]}+{int(rin[1] > 0)} records in\n"
                      f"{rout[0]}+{int(rout[1] > 0)} records out\n")
        if status_level != "noxfer":
            ctx.err.write(_dd_xfer(total, seconds) + "\n")
    return 0


def _dd_xfer(total: int, seconds: float) -> str:
    si, iec = human_round(total, 1000), human_round(total, 1024)
    rate = f"{human_rate(total / seconds)}/s" if total else "0.0 kB/s"
    took = f"{seconds:g} s"
    if si.endswith(" B"):
        return f"{total} byte{'s' if total != 1 else ''} copied, {took}, {rate}"
    if iec.endswith(" B"):
        return f"{total} bytes ({si}) copied, {took}, {rate}"
    return f"{total} bytes ({si}, {iec}) copied, {took}, {rate}"
