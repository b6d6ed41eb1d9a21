"""The simulated shell against an in-memory filesystem with the same errors as the overlay."""

from __future__ import annotations

import math
import posixpath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.errors import FSError
from sim.model.layer import DIR, FILE, SYMLINK, FileEntry
from sim.model.shell import ExecNotFound, FileSystem, ShellResult, known_programs, run_argv

T0 = 1727265600  # 2024-09-25 12:00:00 UTC


class MemFS:
    """A dict of path -> FileEntry with the protocol's errors; the test double for the
    union filesystem."""

    def __init__(self) -> None:
        self.files: dict[str, FileEntry] = {"/": FileEntry(DIR, mode=0o755, mtime=T0)}
        for d in ("/tmp", "/etc", "/root", "/usr", "/usr/bin", "/usr/share",
                  "/usr/share/nginx", "/usr/share/nginx/html", "/var", "/dev"):
            self.files[d] = FileEntry(DIR, mode=0o755, mtime=T0)
        self.files["/tmp"] = FileEntry(DIR, mode=0o1777, mtime=T0)
        self.files["/bin"] = FileEntry(SYMLINK, mode=0o777, target="usr/bin", mtime=T0)
        self.put("/usr/share/nginx/html/index.html", b"x" * 615)
        self.put("/usr/share/nginx/html/50x.html", b"y" * 497)
        self.put("/etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"
                                b"nginx:x:101:101:nginx user:/nonexistent:/bin/false\n")
        self.put("/etc/group", b"root:x:0:\nnginx:x:101:\n")
        self.writes: list[tuple[str, bytes | None, int | None, bool]] = []

    def put(self, path: str, data: bytes, mode: int = 0o644) -> None:
        self.files[path] = FileEntry(FILE, len(data), mode, data=data, mtime=T0)

    def _parent_ok(self, path: str) -> None:
        parent = posixpath.dirname(path)
        entry = self.files.get(parent)
        if entry is None:
            raise FSError("ENOENT", path)
        if entry.kind != DIR:
            raise FSError("ENOTDIR", path)

    def stat(self, path: str) -> FileEntry | None:
        return self.files.get(path)

    def listdir(self, path: str) -> list[str]:
        entry = self.files.get(path)
        if entry is None:
            raise FSError("ENOENT", path)
        if entry.kind != DIR:
            raise FSError("ENOTDIR", path)
        prefix = path.rstrip("/") + "/"
        return sorted(p[len(prefix):] for p in self.files
                      if p.startswith(prefix) and "/" not in p[len(prefix):] and p != "/")

    def read(self, path: str) -> bytes | None:
        entry = self.files.get(path)
        if entry is None:
            raise FSError("ENOENT", path)
        if entry.kind == DIR:
            raise FSError("EISDIR", path)
        return entry.data

    def write(self, path: str, data: bytes | None, size: int | None = None,
              append: bool = False) -> None:
        self.writes.append((path, data, size, append))
        entry = self.files.get(path)
        if entry is not None and entry.kind == DIR:
            raise FSError("EISDIR", path)
        self._parent_ok(path)
        old = entry if entry is not None else FileEntry(FILE, 0, 0o644, mtime=T0)
        if append and old.data is not None and data is not None:
            new_data: bytes | None = old.data + data
            new_size = len(new_data)
        elif append:
            new_data, new_size = None, old.size + (size if data is None else len(data))
        else:
            new_data = data
            new_size = len(data) if data is not None else (size or 0)
        self.files[path] = FileEntry(FILE, new_size, old.mode, old.uid, old.gid,
                                     data=new_data, mtime=T0)

    def mkdir(self, path: str, parents: bool = False) -> None:
        if path in self.files:
            if parents and self.files[path].kind == DIR:
                return
            raise FSError("EEXIST", path)
        if parents and posixpath.dirname(path) not in self.files:
            self.mkdir(posixpath.dirname(path), parents=True)
        self._parent_ok(path)
        self.files[path] = FileEntry(DIR, mode=0o755, mtime=T0)

    def remove(self, path: str, recursive: bool = False) -> None:
        entry = self.files.get(path)
        if entry is None:
            raise FSError("ENOENT", path)
        if entry.kind == DIR and not recursive:
            raise FSError("EISDIR", path)
        for p in [p for p in self.files if p == path or p.startswith(path.rstrip("/") + "/")]:
            del self.files[p]

    def chmod(self, path: str, mode: int) -> None:
        entry = self.files.get(path)
        if entry is None:
            raise FSError("ENOENT", path)
        self.files[path] = FileEntry(entry.kind, entry.size, mode, entry.uid, entry.gid,
                                     data=entry.data, target=entry.target, mtime=entry.mtime)

    def chown(self, path: str, uid: int, gid: int) -> None:
        entry = self.files.get(path)
        if entry is None:
            raise FSError("ENOENT", path)
        self.files[path] = FileEntry(entry.kind, entry.size, entry.mode, uid, gid,
                                     data=entry.data, target=entry.target, mtime=entry.mtime)


def sh(fs: MemFS, script: str, env: dict[str, str] | None = None) -> ShellResult:
    return run_argv(["sh", "-c", script], fs, env=env)


def bash(fs: MemFS, script: str) -> ShellResult:
    return run_argv(["bash", "-c", script], fs)


def entry(fs: MemFS, path: str) -> FileEntry:
    found = fs.stat(path)
    assert found is not None, path
    return found


@pytest.fixture
def fs() -> MemFS:
    return MemFS()


def test_memfs_is_a_filesystem(fs: MemFS) -> None:
    assert isinstance(fs, MemFS)
    typed: FileSystem = fs
    assert typed.stat("/") is not None


# --- API ----------------------------------------------------------------------------------


def test_known_programs_are_what_argv0_can_start(fs: MemFS) -> None:
    names = known_programs()
    for name in ("sh", "bash", "touch", "mkdir", "rm", "rmdir", "echo", "cat", "ls", "chmod",
                 "chown", "head", "fallocate", "dd", "cp", "mv", "sleep", "true", "false",
                 "pwd", "env", "printenv", "wc", "du", "test", "[", "whoami"):
        assert name in names
    assert not {"cd", "exit", "export", "set"} & names  # builtins: only inside a shell
    for name in names:
        run_argv([name, "--bogus-option-for-test"] if name != "sh" else [name, "-c", ":"], fs)


def test_unknown_argv0_raises_exec_not_found(fs: MemFS) -> None:
    with pytest.raises(ExecNotFound) as info:
        run_argv(["nginx", "-v"], fs)
    assert info.value.program == "nginx"


@pytest.mark.parametrize("argv0", ["cd", "exit", "/opt/app/run", "./ls"])
def test_builtins_and_unknown_paths_are_not_executables(fs: MemFS, argv0: str) -> None:
    with pytest.raises(ExecNotFound):
        run_argv([argv0, "/tmp"], fs)


def test_empty_argv_is_a_caller_error(fs: MemFS) -> None:
    with pytest.raises(ValueError):
        run_argv([], fs)


def test_exec_style_program_runs_without_a_shell(fs: MemFS) -> None:
    assert run_argv(["touch", "/tmp/a"], fs).exit_code == 0
    assert fs.stat("/tmp/a") is not None
    r = run_argv(["/bin/ls", "/nope"], fs)
    assert r.stderr == "/bin/ls: cannot access '/nope': No such file or directory\n"
    assert r.exit_code == 2


@pytest.mark.parametrize("argv0", ["sh", "/bin/sh", "bash", "/bin/bash", "/usr/bin/dash"])
def test_shells_by_name_and_path(fs: MemFS, argv0: str) -> None:
    r = run_argv([argv0, "-c", "echo hi > /x && cat /x"], fs)
    assert (r.stdout, r.stderr, r.exit_code) == ("hi\n", "", 0)


def test_unknown_command_inside_sh_is_127_not_an_exception(fs: MemFS) -> None:
    r = sh(fs, "foo")
    assert (r.stderr, r.exit_code) == ("sh: 1: foo: not found\n", 127)
    r = run_argv(["/bin/sh", "-c", "true; foo"], fs)
    assert r.stderr == "/bin/sh: 1: foo: not found\n"


def test_bash_wording_for_unknown_commands(fs: MemFS) -> None:
    r = bash(fs, "foo")
    assert (r.stderr, r.exit_code) == ("bash: line 1: foo: command not found\n", 127)
    assert bash(fs, "/opt/x").stderr == "bash: line 1: /opt/x: No such file or directory\n"


def test_line_numbers_follow_the_script(fs: MemFS) -> None:
    assert sh(fs, "true\n\nfoo").stderr == "sh: 3: foo: not found\n"
    assert run_argv(["sh", "-c", "foo", "myname"], fs).stderr == "myname: 1: foo: not found\n"


def test_sh_without_script_argument(fs: MemFS) -> None:
    r = run_argv(["sh", "-c"], fs)
    assert (r.stderr, r.exit_code) == ("sh: 0: -c requires an argument\n", 2)
    assert run_argv(["bash", "-c"], fs).stderr == "bash: -c: option requires an argument\n"


def test_sh_runs_a_script_file(fs: MemFS) -> None:
    fs.put("/s.sh", b"echo one\nfoo\n")
    r = run_argv(["sh", "/s.sh"], fs)
    assert (r.stdout, r.stderr) == ("one\n", "/s.sh: 2: foo: not found\n")
    r = run_argv(["sh", "/none.sh"], fs)
    assert (r.stderr, r.exit_code) == ("sh: 0: cannot open /none.sh: No such file\n", 2)


def test_piped_script_into_sh(fs: MemFS) -> None:
    assert sh(fs, "echo 'echo inner' | sh").stdout == "inner\n"


# --- operators, status, syntax ------------------------------------------------------------


@pytest.mark.parametrize(("script", "out", "code"), [
    ("false && echo x", "", 1),
    ("false || echo y", "y\n", 0),
    ("true && echo a || echo b", "a\n", 0),
    ("false && echo a || echo b", "b\n", 0),
    ("echo a; echo b", "a\nb\n", 0),
    ("echo a\necho b", "a\nb\n", 0),
    ("false; echo $?", "1\n", 0),
    ("true; false", "", 1),
    ("! false && echo negated", "negated\n", 0),
    ("exit 3; echo never", "", 3),
    ("false; exit", "", 1),
    ("exit 300", "", 44),
    ("(exit 4); echo $?", "4\n", 0),
    ("(cd /tmp; pwd); pwd", "/tmp\n/\n", 0),
    ("set -e; echo a; false; echo b", "a\n", 1),
    ("set -e; false || true; echo kept", "kept\n", 0),
    ("set -e; false && true; echo kept", "kept\n", 0),
    (": ; echo $?", "0\n", 0),
    ("echo a # comment", "a\n", 0),
])
def test_operator_semantics(fs: MemFS, script: str, out: str, code: int) -> None:
    r = sh(fs, script)
    assert (r.stdout, r.exit_code) == (out, code)


@pytest.mark.parametrize(("script", "message"), [
    ("echo 'open", "Syntax error: Unterminated quoted string"),
    ('echo "open', "Syntax error: Unterminated quoted string"),
    ("&& echo", 'Syntax error: "&&" unexpected'),
    ("echo a &&", "Syntax error: end of file unexpected"),
    ("; echo", 'Syntax error: ";" unexpected'),
    ("echo a ;; echo b", 'Syntax error: ";;" unexpected'),
    ("| wc", 'Syntax error: "|" unexpected'),
    ("echo >", "Syntax error: end of file unexpected"),
    ("echo >\necho", "Syntax error: newline unexpected"),
    ("echo )", 'Syntax error: ")" unexpected'),
    ("(echo a", 'Syntax error: end of file unexpected (expecting ")")'),
    ("echo $(echo a", 'Syntax error: end of file unexpected (expecting ")")'),
])
def test_dash_syntax_errors(fs: MemFS, script: str, message: str) -> None:
    r = sh(fs, script)
    assert (r.stdout, r.stderr, r.exit_code) == ("", f"sh: 1: {message}\n", 2)


def test_syntax_error_on_a_later_line_runs_earlier_lines(fs: MemFS) -> None:
    r = sh(fs, "echo first\necho 'open")
    assert (r.stdout, r.stderr) == ("first\n", "sh: 2: Syntax error: Unterminated quoted string\n")


@pytest.mark.parametrize(("script", "message"), [
    ("&& x", "line 1: syntax error near unexpected token `&&'\nbash: -c: line 1: `&& x'"),
    ("echo >", "line 1: syntax error near unexpected token `newline'\nbash: -c: line 1: `echo >'"),
    ("true\necho )", "line 2: syntax error near unexpected token `)'\nbash: -c: line 2: `echo )'"),
    ("echo 'x", "line 1: unexpected EOF while looking for matching `''"),
    ('echo "a\nb', "line 1: unexpected EOF while looking for matching `\"'"),
    ("echo a &&", "line 2: syntax error: unexpected end of file"),
    ("(echo a\necho b", "line 3: syntax error: unexpected end of file"),
    ("echo $(echo a", "line 2: unexpected EOF while looking for matching `)'"),
])
def test_bash_syntax_errors(fs: MemFS, script: str, message: str) -> None:
    r = bash(fs, script)
    assert (r.stderr, r.exit_code) == (f"bash: -c: {message}\n", 2)


def test_syntax_error_lines_follow_dash(fs: MemFS) -> None:
    assert sh(fs, 'echo "a\nb').stderr == "sh: 2: Syntax error: Unterminated quoted string\n"
    assert sh(fs, "echo hi >&foo; echo never").stderr == "sh: 1: Syntax error: Bad fd number\n"
    assert sh(fs, "echo hi >&3").stderr == "sh: 1: 3: Bad file descriptor\n"


def test_unsupported_syntax_is_reported_honestly(fs: MemFS) -> None:
    r = sh(fs, "case x in x) echo;; esac")
    assert r.exit_code == 2 and "not supported" in r.stderr and r.stdout == ""
    assert "not supported" in sh(fs, "function f { :; }").stderr
    assert "not supported" in sh(fs, "cat <<EOF\nx\nEOF").stderr
    assert "not supported" in sh(fs, "echo $((1+1))").stderr


@pytest.mark.parametrize(("script", "out", "code"), [
    ("if [ -f /etc/passwd ]; then echo file; else echo none; fi", "file\n", 0),
    ("if [ -f /no ]; then echo f; elif [ -d /tmp ]; then echo dir; else echo n; fi", "dir\n", 0),
    ("if false; then echo a; fi; echo $?", "0\n", 0),
    ("if true\nthen\n  echo multi\nfi", "multi\n", 0),
    ('for x in a b "c d"; do echo "[$x]"; done', "[a]\n[b]\n[c d]\n", 0),
    ("for f in /usr/share/nginx/html/*; do echo $f; done",
     "/usr/share/nginx/html/50x.html\n/usr/share/nginx/html/index.html\n", 0),
    ("for x in 1 2 3; do [ $x = 2 ] && continue; echo $x; done", "1\n3\n", 0),
    ("for x in 1 2; do for y in a b; do [ $y = b ] && break 2; echo $x$y; done; done",
     "1a\n", 0),
    ('n=; while [ "$n" != xxx ]; do n=x$n; echo $n; done', "x\nxx\nxxx\n", 0),
    ("until [ -f /tmp/m ]; do touch /tmp/m; echo made; done", "made\n", 0),
    ("cat /nope 2>/dev/null || { echo failed; exit 3; }", "failed\n", 3),
    ("{ echo a; echo b; } > /tmp/o; cat /tmp/o", "a\nb\n", 0),
    ("x=1; { x=2; }; (x=3); echo $x", "2\n", 0),
    ("set -e; if false; then :; fi; while false; do :; done; echo ok", "ok\n", 0),
    ("for i in 1 2; do echo $i; done | wc -l", "2\n", 0),
    ("echo if then fi }", "if then fi }\n", 0),
])
def test_compound_commands(fs: MemFS, script: str, out: str, code: int) -> None:
    r = sh(fs, script)
    assert (r.stdout, r.stderr, r.exit_code) == (out, "", code)


@pytest.mark.parametrize(("script", "message"), [
    ("if true; then fi", '"fi" unexpected'),
    ("if true; then echo", 'end of file unexpected (expecting "fi")'),
    ("while true; do", 'end of file unexpected (expecting "done")'),
    ("{ echo a", 'end of file unexpected (expecting "}")'),
    ("then echo", '"then" unexpected'),
    ("for; do :; done", "Bad for loop variable"),
])
def test_compound_syntax_errors(fs: MemFS, script: str, message: str) -> None:
    assert sh(fs, script).stderr == f"sh: 1: Syntax error: {message}\n"


def test_endless_while_loop_runs_forever(fs: MemFS) -> None:
    r = sh(fs, "while true; do sleep 1; done")
    assert r.duration == math.inf
    r = run_argv(["sh", "-c", "echo start; while :; do :; done; echo never"], fs)
    assert (r.stdout, r.duration) == ("start\n", math.inf)


def test_break_outside_a_loop(fs: MemFS) -> None:
    assert sh(fs, "break; echo after").stdout == "after\n"
    assert bash(fs, "break").stderr == \
        "bash: line 1: break: only meaningful in a `for', `while', or `until' loop\n"


def test_exit_with_a_bad_number(fs: MemFS) -> None:
    r = sh(fs, "exit abc")
    assert (r.stderr, r.exit_code) == ("sh: 1: exit: Illegal number: abc\n", 2)
    assert bash(fs, "exit abc").stderr == "bash: line 1: exit: abc: numeric argument required\n"


# --- quoting and expansion ----------------------------------------------------------------


@pytest.mark.parametrize(("script", "out"), [
    ("echo 'a  b' \"c  d\" e\\ f", "a  b c  d e f\n"),
    ("echo 'it'\\''s'", "it's\n"),
    ('echo "$HOME" \'$HOME\' \\$HOME', "/root $HOME $HOME\n"),
    ("echo ${HOME}x $HOME.y", "/rootx /root.y\n"),
    ("X=1; echo $X ${X} \"$X\"", "1 1 1\n"),
    ("X='a   b'; echo $X; echo \"$X\"", "a b\na   b\n"),
    ("echo ${NOPE:-dflt} ${NOPE-d2} ${HOME:+set} ${#HOME}", "dflt d2 set 5\n"),
    ("echo ${NOPE:=made}; echo $NOPE", "made\nmade\n"),
    ("echo $(echo a b) `echo c`", "a b c\n"),
    ('echo "$(echo "x  y")"', "x  y\n"),
    ("echo ~ ~/x ~nginx ~nobody", "/root /root/x /nonexistent ~nobody\n"),
    ("echo \"\" | wc -c", "1\n"),
    ("echo a\\\nb", "ab\n"),
    ("A=1 B=2; echo $A$B", "12\n"),
])
def test_expansion(fs: MemFS, script: str, out: str) -> None:
    assert sh(fs, script).stdout == out


def test_positional_parameters(fs: MemFS) -> None:
    r = run_argv(["sh", "-c", 'echo $0 $# $1; echo "$@"; echo $*', "n", "a  b", "c"], fs)
    assert r.stdout == "n 2 a b\na  b c\na b c\n"
    r = run_argv(["sh", "-c", 'printf "[%s]" "$@"', "n", "a b", "c"], fs)
    assert r.stdout == "[a b][c]"


def test_prefix_assignment_reaches_the_program_only(fs: MemFS) -> None:
    r = sh(fs, "GREETING=hi printenv GREETING; echo \"[$GREETING]\"")
    assert r.stdout == "hi\n[]\n"


def test_export_and_unset(fs: MemFS) -> None:
    assert sh(fs, "X=1; printenv X; export X; printenv X").stdout == "1\n"
    assert sh(fs, "export Y=2; unset Y; printenv Y; echo $?").stdout == "1\n"


def test_env_is_passed_and_listed(fs: MemFS) -> None:
    r = sh(fs, "env", env={"PATH": "/bin", "FOO": "bar"})
    assert r.stdout == "PATH=/bin\nFOO=bar\n"
    assert sh(fs, "env A=1 printenv A").stdout == "1\n"
    r = sh(fs, "env nope")
    assert (r.stderr, r.exit_code) == ("env: 'nope': No such file or directory\n", 127)
    assert sh(fs, "env -i A=1 env").stdout == "A=1\n"
    assert sh(fs, "env -u HOME printenv HOME; echo $?").stdout == "1\n"
    r = sh(fs, "env -z")
    assert (r.stderr, r.exit_code) == (
        "env: invalid option -- 'z'\nTry 'env --help' for more information.\n", 125)


def test_globbing(fs: MemFS) -> None:
    r = sh(fs, "cd /usr/share/nginx/html && echo *.html && echo '*.html' && echo *.none")
    assert r.stdout == "50x.html index.html\n*.html\n*.none\n"
    assert sh(fs, "echo /usr/share/nginx/html/i*").stdout == "/usr/share/nginx/html/index.html\n"
    fs.put("/tmp/.hidden", b"")
    fs.put("/tmp/seen", b"")
    assert sh(fs, "echo /tmp/*").stdout == "/tmp/seen\n"
    assert sh(fs, "rm -f /tmp/* && ls -A /tmp").stdout == ".hidden\n"


def test_set_x_traces_commands(fs: MemFS) -> None:
    assert sh(fs, "set -x; echo hi").stderr == "+ echo hi\n"


def test_set_u_and_unknown_options(fs: MemFS) -> None:
    r = sh(fs, "set -u; echo $NOPE")
    assert (r.stderr, r.exit_code) == ("sh: 1: NOPE: parameter not set\n", 2)
    r = bash(fs, "set -u; echo $NOPE")
    assert (r.stderr, r.exit_code) == ("bash: line 1: NOPE: unbound variable\n", 127)
    assert sh(fs, "set -q").stderr == "sh: 1: set: Illegal option -q\n"
    assert bash(fs, "set -q").stderr == (
        "bash: line 1: set: -q: invalid option\n"
        "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n")


@pytest.mark.parametrize(("script", "dash_err", "bash_err"), [
    ("echo ${X?}", "X: parameter not set", "X: parameter not set"),
    ("echo ${X:?}", "X: parameter not set or null", "X: parameter null or not set"),
    ("echo ${X?custom}", "X: custom", "X: custom"),
])
def test_required_parameters(fs: MemFS, script: str, dash_err: str, bash_err: str) -> None:
    assert (sh(fs, script).stderr, sh(fs, script).exit_code) == (f"sh: 1: {dash_err}\n", 2)
    assert (bash(fs, script).stderr, bash(fs, script).exit_code) == (
        f"bash: line 1: {bash_err}\n", 127)
    r = bash(fs, "set -o pipefail; false | true")
    assert r.exit_code == 1


# --- redirections and pipes ---------------------------------------------------------------


def test_redirect_truncates_and_appends(fs: MemFS) -> None:
    sh(fs, "echo one > /tmp/f; echo two >> /tmp/f")
    assert fs.read("/tmp/f") == b"one\ntwo\n"
    sh(fs, "echo three > /tmp/f")
    assert fs.read("/tmp/f") == b"three\n"


def test_redirect_target_is_created_before_the_command_runs(fs: MemFS) -> None:
    r = sh(fs, "cat /nope > /tmp/out")
    assert r.exit_code == 1 and fs.read("/tmp/out") == b""


def test_stderr_redirections(fs: MemFS) -> None:
    r = sh(fs, "cat /nope 2> /tmp/err; echo $?")
    assert (r.stdout, r.stderr) == ("1\n", "")
    assert fs.read("/tmp/err") == b"cat: /nope: No such file or directory\n"
    r = sh(fs, "cat /nope > /tmp/both 2>&1")
    assert r.stderr == "" and fs.read("/tmp/both") == b"cat: /nope: No such file or directory\n"
    r = sh(fs, "cat /nope 2>&1 > /tmp/only")
    assert r.stdout == "cat: /nope: No such file or directory\n"
    assert sh(fs, "echo hidden > /dev/null; cat /nope 2>/dev/null").stdout == ""
    assert sh(fs, "echo to-err >&2").stderr == "to-err\n"
    assert sh(fs, "echo x 1>&2 2>/dev/null").stderr == "x\n"


def test_bash_both_streams_redirect(fs: MemFS) -> None:
    bash(fs, "cat /nope &> /tmp/all")
    assert fs.read("/tmp/all") == b"cat: /nope: No such file or directory\n"


def test_redirect_errors(fs: MemFS) -> None:
    r = sh(fs, "echo x > /nope/y; echo $?")
    assert (r.stdout, r.stderr) == ("2\n", "sh: 1: cannot create /nope/y: Directory nonexistent\n")
    assert sh(fs, "echo x > /tmp").stderr == "sh: 1: cannot create /tmp: Is a directory\n"
    assert sh(fs, "cat < /nope").stderr == "sh: 1: cannot open /nope: No such file\n"
    r = bash(fs, "echo x > /nope/y")
    assert (r.stderr, r.exit_code) == ("bash: line 1: /nope/y: No such file or directory\n", 1)


def test_input_redirection_and_pipes(fs: MemFS) -> None:
    assert sh(fs, "cat < /usr/share/nginx/html/index.html | wc -c").stdout == "615\n"
    assert sh(fs, "echo abc | cat | cat").stdout == "abc\n"
    assert sh(fs, "echo a b | wc").stdout == "      1       2       4\n"
    assert sh(fs, "echo hi | tee /tmp/t | wc -c").stdout == "3\n"
    assert fs.read("/tmp/t") == b"hi\n"
    assert sh(fs, "printf 'a\\nb\\n' | head -n 1").stdout == "a\n"


def test_pipeline_time_is_the_longest_part(fs: MemFS) -> None:
    assert sh(fs, "sleep 5 | sleep 3").duration == 5
    assert sh(fs, "sleep 5 & sleep 1").duration == 1


def test_large_zero_output_is_never_materialised(fs: MemFS) -> None:
    r = sh(fs, "head -c 1G /dev/zero > /big")
    assert r.exit_code == 0
    assert entry(fs, "/big").size == 1 << 30
    assert ("/big", None, 1 << 30, True) in fs.writes
    assert sh(fs, "cat /big | wc -c").stdout == "1073741824\n"


# --- programs -----------------------------------------------------------------------------


def test_touch(fs: MemFS) -> None:
    assert sh(fs, "touch /tmp/a /tmp/b").exit_code == 0
    assert fs.read("/tmp/a") == b"" and fs.stat("/tmp/b") is not None
    fs.put("/tmp/c", b"keep", mode=0o600)
    sh(fs, "touch /tmp/c")
    assert fs.read("/tmp/c") == b"keep" and entry(fs, "/tmp/c").mode == 0o600
    r = sh(fs, "touch /a/b")
    assert (r.stderr, r.exit_code) == ("touch: cannot touch '/a/b': No such file or directory\n",
                                       1)
    r = sh(fs, "touch /etc/passwd/x")
    assert r.stderr == "touch: cannot touch '/etc/passwd/x': Not a directory\n"
    r = sh(fs, "touch")
    assert r.stderr == "touch: missing file operand\nTry 'touch --help' for more information.\n"


def test_mkdir(fs: MemFS) -> None:
    r = sh(fs, "mkdir /a/b")
    assert (r.stderr, r.exit_code) == (
        "mkdir: cannot create directory '/a/b': No such file or directory\n", 1)
    assert sh(fs, "mkdir -p /a/b/c && mkdir -p /a/b").exit_code == 0
    assert entry(fs, "/a/b/c").kind == DIR
    assert sh(fs, "mkdir /tmp").stderr == "mkdir: cannot create directory '/tmp': File exists\n"
    r = sh(fs, "mkdir -p /etc/passwd")
    assert r.stderr == "mkdir: cannot create directory '/etc/passwd': File exists\n"
    r = sh(fs, "mkdir -p /etc/passwd/x/y")
    assert r.stderr == "mkdir: cannot create directory '/etc/passwd': Not a directory\n"
    assert sh(fs, "mkdir").stderr == "mkdir: missing operand\n" \
                                     "Try 'mkdir --help' for more information.\n"
    assert sh(fs, "cd /tmp && mkdir rel && ls").stdout == "rel\n"
    r = sh(fs, "mkdir -z /q")
    assert r.stderr == "mkdir: invalid option -- 'z'\nTry 'mkdir --help' for more information.\n"


def test_rm(fs: MemFS) -> None:
    r = sh(fs, "rm /x")
    assert (r.stderr, r.exit_code) == ("rm: cannot remove '/x': No such file or directory\n", 1)
    fs.mkdir("/d")
    assert sh(fs, "rm /d").stderr == "rm: cannot remove '/d': Is a directory\n"
    fs.put("/d/f", b"1")
    assert sh(fs, "rm -d /d").stderr == "rm: cannot remove '/d': Directory not empty\n"
    assert sh(fs, "rm -f /x /y; echo $?").stdout == "0\n"
    assert sh(fs, "rm -r /d").exit_code == 0 and fs.stat("/d/f") is None
    fs.mkdir("/e")
    assert sh(fs, "rm -R /e && rm -rf /e").exit_code == 0
    assert sh(fs, "rm").stderr == "rm: missing operand\nTry 'rm --help' for more information.\n"
    assert sh(fs, "rm -f").exit_code == 0
    assert sh(fs, "rm /tmp/ -r /nope").stderr == \
        "rm: cannot remove '/nope': No such file or directory\n"
    assert fs.stat("/tmp") is None


def test_rm_interactive_reads_answers_from_stdin(fs: MemFS) -> None:
    fs.put("/tmp/f", b"1")
    r = sh(fs, "rm -i /tmp/f")  # docker exec without -i: no answer, so no
    assert (r.stderr, r.exit_code) == ("rm: remove regular file '/tmp/f'? ", 0)
    assert fs.stat("/tmp/f") is not None
    assert sh(fs, "echo y | rm -i /tmp/f").exit_code == 0 and fs.stat("/tmp/f") is None
    fs.mkdir("/tmp/d")
    fs.put("/tmp/d/e", b"")
    r = sh(fs, "rm -ri /tmp/d")
    assert r.stderr == "rm: descend into directory '/tmp/d'? "
    r = sh(fs, "printf 'y\\ny\\ny\\n' | rm -ri /tmp/d")
    assert r.stderr == ("rm: descend into directory '/tmp/d'? "
                        "rm: remove regular empty file '/tmp/d/e'? "
                        "rm: remove directory '/tmp/d'? ")
    assert fs.stat("/tmp/d") is None
    r = sh(fs, "rm -I /a /b /c /d")
    assert r.stderr == "rm: remove 4 arguments? "


def test_rm_refuses_root_and_dot(fs: MemFS) -> None:
    r = sh(fs, "rm -rf /")
    assert r.stderr == ("rm: it is dangerous to operate recursively on '/'\n"
                        "rm: use --no-preserve-root to override this failsafe\n")
    assert r.exit_code == 1 and fs.stat("/etc") is not None
    assert sh(fs, "cd /tmp && rm -rf ..").stderr == \
        "rm: refusing to remove '.' or '..' directory: skipping '..'\n"


def test_rm_removes_a_symlink_not_its_target(fs: MemFS) -> None:
    sh(fs, "rm /bin")
    assert fs.stat("/bin") is None and fs.stat("/usr/bin") is not None


def test_rmdir(fs: MemFS) -> None:
    fs.mkdir("/d")
    fs.put("/d/f", b"")
    assert sh(fs, "rmdir /d").stderr == "rmdir: failed to remove '/d': Directory not empty\n"
    assert sh(fs, "rmdir /d/f").stderr == "rmdir: failed to remove '/d/f': Not a directory\n"
    assert sh(fs, "rmdir /q").stderr == \
        "rmdir: failed to remove '/q': No such file or directory\n"
    assert sh(fs, "rm /d/f && rmdir /d").exit_code == 0 and fs.stat("/d") is None


@pytest.mark.parametrize(("script", "out"), [
    ("echo hello world", "hello world\n"),
    ("echo -n no newline", "no newline"),
    ("echo 'a\\tb'", "a\tb\n"),
    ("echo -e x", "-e x\n"),
    ("echo 'cut\\chere'", "cut"),
    ("echo 'a\\101b' '\\0101'", "aAb A\n"),
    ("echo", "\n"),
])
def test_dash_echo(fs: MemFS, script: str, out: str) -> None:
    assert sh(fs, script).stdout == out


def test_bash_and_gnu_echo_need_dash_e(fs: MemFS) -> None:
    assert bash(fs, "echo 'a\\tb'; echo -e 'a\\tb'").stdout == "a\\tb\na\tb\n"
    assert run_argv(["echo", "-n", "a\\tb"], fs).stdout == "a\\tb"


def test_printf(fs: MemFS) -> None:
    assert sh(fs, "printf '%s=%d\\n' a 1 b 2").stdout == "a=1\nb=2\n"
    assert sh(fs, "printf 'x\\101y %b\\n' '\\0102'").stdout == "xAy B\n"
    assert sh(fs, "printf '%5s|%-3s|%03d%%\\n' x y 7").stdout == "    x|y  |007%\n"
    r = sh(fs, "printf '%d' abc")
    assert (r.stderr, r.exit_code) == ("sh: 1: printf: abc: expected numeric value\n", 1)


def test_cat(fs: MemFS) -> None:
    r = sh(fs, "cat /nope")
    assert (r.stderr, r.exit_code) == ("cat: /nope: No such file or directory\n", 1)
    assert sh(fs, "cat /tmp").stderr == "cat: /tmp: Is a directory\n"
    assert sh(fs, "cat '/my file'").stderr == "cat: '/my file': No such file or directory\n"
    fs.put("/a", b"A")
    fs.put("/b", b"B\n")
    r = sh(fs, "cat /a /nope /b")
    assert (r.stdout, r.exit_code) == ("AB\n", 1)
    assert sh(fs, "cat /dev/null").stdout == ""
    assert sh(fs, "cat /bin/../etc/group").stdout == "root:x:0:\nnginx:x:101:\n"
    assert sh(fs, "cat /dev/zero").duration == math.inf
    assert sh(fs, "cat /etc/passwd/").stderr == "cat: /etc/passwd/: Not a directory\n"
    assert sh(fs, "ls /etc/passwd/").stderr == \
        "ls: cannot access '/etc/passwd/': Not a directory\n"


def test_ls_plain_and_hidden(fs: MemFS) -> None:
    fs.put("/tmp/.dot", b"")
    fs.put("/tmp/b", b"")
    fs.put("/tmp/a", b"")
    assert sh(fs, "ls /tmp").stdout == "a\nb\n"
    assert sh(fs, "ls -A /tmp").stdout == ".dot\na\nb\n"
    assert sh(fs, "ls -a /tmp").stdout == ".\n..\n.dot\na\nb\n"
    assert sh(fs, "cd /tmp && ls").stdout == "a\nb\n"
    assert sh(fs, "ls /tmp/a /tmp/b").stdout == "/tmp/a\n/tmp/b\n"
    assert sh(fs, "ls -d /tmp").stdout == "/tmp\n"
    assert sh(fs, "ls /bin").stdout == ""


def test_ls_long(fs: MemFS) -> None:
    r = sh(fs, "ls -l /usr/share/nginx/html")
    assert r.stdout == ("total 8\n"
                        "-rw-r--r-- 1 root root 497 Sep 25 12:00 50x.html\n"
                        "-rw-r--r-- 1 root root 615 Sep 25 12:00 index.html\n")
    fs.put("/usr/share/nginx/html/big", b"z" * 10000)
    lines = sh(fs, "ls -l /usr/share/nginx/html").stdout.splitlines()
    assert lines[0] == "total 20"
    assert lines[1] == "-rw-r--r-- 1 root root   497 Sep 25 12:00 50x.html"
    r = sh(fs, "ls -la /usr/share/nginx")
    assert r.stdout.splitlines()[1:3] == ["drwxr-xr-x 3 root root 4096 Sep 25 12:00 .",
                                          "drwxr-xr-x 3 root root 4096 Sep 25 12:00 .."]


def test_ls_long_symlink_owner_and_special_bits(fs: MemFS) -> None:
    assert sh(fs, "ls -l /bin").stdout == "lrwxrwxrwx 1 root root 7 Sep 25 12:00 /bin -> usr/bin\n"
    assert sh(fs, "ls -ld /tmp").stdout == "drwxrwxrwt 2 root root 4096 Sep 25 12:00 /tmp\n"
    fs.files["/srv"] = FileEntry(FILE, 3, 0o4755, 101, 7, data=b"abc", mtime=0)
    assert sh(fs, "ls -l /srv").stdout == "-rwsr-xr-x 1 nginx 7 3 Jan  1 00:00 /srv\n"
    r = run_argv(["ls", "-l", "/srv"], fs, users={"web": 7})
    assert r.stdout == "-rwsr-xr-x 1 101 web 3 Jan  1 00:00 /srv\n"


def test_ls_human_sizes(fs: MemFS) -> None:
    sh(fs, "fallocate -l 1536K /tmp/f")
    assert sh(fs, "ls -lh /tmp").stdout == ("total 1.5M\n"
                                           "-rw-r--r-- 1 root root 1.5M Sep 25 12:00 f\n")


def test_ls_errors_and_several_operands(fs: MemFS) -> None:
    r = sh(fs, "ls /nope /usr/share/nginx/html /tmp")
    assert r.stderr == "ls: cannot access '/nope': No such file or directory\n"
    assert r.exit_code == 2
    assert r.stdout == "/tmp:\n\n/usr/share/nginx/html:\n50x.html\nindex.html\n"
    r = sh(fs, "ls /etc/passwd /tmp")
    assert r.stdout == "/etc/passwd\n\n/tmp:\n"
    r = sh(fs, "ls -z")
    assert (r.stderr, r.exit_code) == (
        "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n", 2)


def test_chmod(fs: MemFS) -> None:
    fs.put("/f", b"")
    cases = [("+x", 0o755), ("u-x", 0o655), ("go-r", 0o611), ("a=r", 0o444), ("u+w,g+w", 0o664),
             ("600", 0o600), ("o+t", 0o1600), ("0755", 0o755), ("g=u", 0o775), ("-x", 0o664)]
    for spec, mode in cases:
        assert sh(fs, f"chmod {spec} /f").exit_code == 0, spec
        assert entry(fs, "/f").mode == mode, spec
    r = sh(fs, "chmod zz /f")
    assert (r.stderr, r.exit_code) == (
        "chmod: invalid mode: 'zz'\nTry 'chmod --help' for more information.\n", 1)
    assert sh(fs, "chmod 644 /nope").stderr == \
        "chmod: cannot access '/nope': No such file or directory\n"
    assert sh(fs, "chmod 644").stderr == \
        "chmod: missing operand after '644'\nTry 'chmod --help' for more information.\n"
    sh(fs, "mkdir -p /d/e && touch /d/e/f && chmod -R 700 /d")
    assert entry(fs, "/d/e/f").mode == 0o700


def test_chown(fs: MemFS) -> None:
    fs.put("/f", b"")
    assert sh(fs, "chown nginx /f").exit_code == 0
    assert (entry(fs, "/f").uid, entry(fs, "/f").gid) == (101, 0)
    sh(fs, "chown root:nginx /f")
    assert (entry(fs, "/f").uid, entry(fs, "/f").gid) == (0, 101)
    sh(fs, "chown 1000:1000 /f")
    assert (entry(fs, "/f").uid, entry(fs, "/f").gid) == (1000, 1000)
    sh(fs, "chown nginx: /f")
    assert (entry(fs, "/f").uid, entry(fs, "/f").gid) == (101, 101)
    r = sh(fs, "chown bob /f")
    assert (r.stderr, r.exit_code) == ("chown: invalid user: 'bob'\n", 1)
    assert sh(fs, "chown root:staff /f").stderr == "chown: invalid group: 'root:staff'\n"
    assert sh(fs, "chown root /nope").stderr == \
        "chown: cannot access '/nope': No such file or directory\n"
    sh(fs, "mkdir -p /d/e && chown -R nginx:nginx /d")
    assert entry(fs, "/d/e").uid == 101


def test_chown_with_a_users_map(fs: MemFS) -> None:
    fs.put("/f", b"")
    run_argv(["chown", "app:app", "/f"], fs, users={"app": 1000})
    assert (entry(fs, "/f").uid, entry(fs, "/f").gid) == (1000, 1000)
    r = run_argv(["chown", "nginx", "/f"], fs, users={"app": 1000})
    assert r.stderr == "chown: invalid user: 'nginx'\n"


def test_head_makes_zero_files(fs: MemFS) -> None:
    assert sh(fs, "head -c 10M /dev/zero > /tmp/z").exit_code == 0
    assert entry(fs, "/tmp/z").size == 10 * 1024 * 1024
    assert entry(fs, "/tmp/z").data is None
    r = sh(fs, "head -c 1X /dev/zero")
    assert (r.stderr, r.exit_code) == ("head: invalid number of bytes: '1X'\n", 1)
    r = sh(fs, "head -c 5 /nope")
    assert r.stderr == "head: cannot open '/nope' for reading: No such file or directory\n"
    assert sh(fs, "head -c 3 /etc/group").stdout == "roo"
    assert sh(fs, "head -n 1 /etc/passwd").stdout == "root:x:0:0:root:/root:/bin/bash\n"
    assert sh(fs, "head -1 /etc/group").stdout == "root:x:0:\n"
    assert sh(fs, "head /tmp").stderr == "head: error reading '/tmp': Is a directory\n"


def test_fallocate(fs: MemFS) -> None:
    assert sh(fs, "fallocate -l 1G /tmp/g").exit_code == 0
    assert entry(fs, "/tmp/g").size == 1 << 30
    sh(fs, "fallocate -l 10MB /tmp/g")  # never shrinks
    assert entry(fs, "/tmp/g").size == 1 << 30
    r = sh(fs, "fallocate -l 1Q /tmp/q")
    assert (r.stderr, r.exit_code) == ("fallocate: invalid length value specified\n", 1)
    assert sh(fs, "fallocate /tmp/q").stderr == "fallocate: no length argument specified\n"
    assert sh(fs, "fallocate -l 1M").stderr == "fallocate: no filename specified\n"
    assert sh(fs, "fallocate -l 1M /a/b").stderr == \
        "fallocate: cannot open /a/b: No such file or directory\n"


def test_dd(fs: MemFS) -> None:
    r = sh(fs, "dd if=/dev/zero of=/tmp/d bs=1M count=10")
    assert r.exit_code == 0
    assert entry(fs, "/tmp/d").size == 10 << 20
    lines = r.stderr.splitlines()
    assert lines[:2] == ["10+0 records in", "10+0 records out"]
    assert lines[2].startswith("10485760 bytes (10 MB, 10 MiB) copied, ")
    assert lines[2].endswith(" s, 1.2 GB/s")
    assert r.duration == pytest.approx(0.0002 + (10 << 20) / 1.2e9)
    r = sh(fs, "dd if=/dev/zero of=/tmp/s bs=100 count=5 status=none")
    assert (r.stderr, entry(fs, "/tmp/s").size) == ("", 500)
    r = sh(fs, "dd if=/etc/group bs=4 count=1 2>/dev/null")
    assert r.stdout == "root"
    r = sh(fs, "dd if=/etc/group of=/tmp/c bs=1 count=5")
    assert r.stderr.splitlines()[2].startswith("5 bytes copied, ")
    r = sh(fs, "dd if=/dev/zero of=/tmp/p bs=1000 count=1")
    assert r.stderr.splitlines()[2].startswith("1000 bytes (1.0 kB) copied, ")


def test_dd_errors(fs: MemFS) -> None:
    r = sh(fs, "dd if=/dev/zero of=/tmp/x bs=1X count=1")
    assert (r.stderr, r.exit_code) == ("dd: invalid number: '1X'\n", 1)
    r = sh(fs, "dd foo")
    assert r.stderr == "dd: unrecognized operand 'foo'\nTry 'dd --help' for more information.\n"
    r = sh(fs, "dd if=/nope of=/tmp/x")
    assert r.stderr == "dd: failed to open '/nope': No such file or directory\n"
    r = sh(fs, "dd if=/dev/zero of=/a/b count=1")
    assert r.stderr == "dd: failed to open '/a/b': No such file or directory\n"


def test_cp(fs: MemFS) -> None:
    fs.put("/src", b"data", mode=0o755)
    assert sh(fs, "cp /src /dst && cat /dst").stdout == "data"
    assert entry(fs, "/dst").mode == 0o755
    assert sh(fs, "cp /src /tmp && ls /tmp").stdout == "src\n"
    r = sh(fs, "cp /nope /x")
    assert (r.stderr, r.exit_code) == ("cp: cannot stat '/nope': No such file or directory\n", 1)
    assert sh(fs, "cp /usr /x").stderr == "cp: -r not specified; omitting directory '/usr'\n"
    assert sh(fs, "cp -r /usr/share /copy && cat /copy/nginx/html/50x.html").stdout == "y" * 497
    assert sh(fs, "cp /src /a/b").stderr == \
        "cp: cannot create regular file '/a/b': No such file or directory\n"
    assert sh(fs, "cp /src /dst /etc/passwd").stderr == \
        "cp: target '/etc/passwd': Not a directory\n"
    assert sh(fs, "cp /src /src").stderr == "cp: '/src' and '/src' are the same file\n"
    assert sh(fs, "cp -r /usr /usr/share").stderr == \
        "cp: cannot copy a directory, '/usr', into itself, '/usr/share/usr'\n"
    assert sh(fs, "cp /src").stderr == \
        "cp: missing destination file operand after '/src'\n" \
        "Try 'cp --help' for more information.\n"


def test_cp_keeps_size_only_files_unmaterialised(fs: MemFS) -> None:
    sh(fs, "fallocate -l 1G /big && cp /big /big2")
    assert entry(fs, "/big2").size == 1 << 30
    assert entry(fs, "/big2").data is None


def test_mv(fs: MemFS) -> None:
    fs.put("/src", b"data")
    sh(fs, "chown nginx /src && mv /src /tmp/moved")
    assert fs.stat("/src") is None and fs.read("/tmp/moved") == b"data"
    assert entry(fs, "/tmp/moved").uid == 101
    assert sh(fs, "mv /tmp/moved /etc && ls /etc").stdout == "group\nmoved\npasswd\n"
    r = sh(fs, "mv /nope /x")
    assert (r.stderr, r.exit_code) == ("mv: cannot stat '/nope': No such file or directory\n", 1)
    assert sh(fs, "mv /etc/moved /a/b").stderr == \
        "mv: cannot move '/etc/moved' to '/a/b': No such file or directory\n"
    assert sh(fs, "mv /usr /usr/share").stderr == \
        "mv: cannot move '/usr' to a subdirectory of itself, '/usr/share/usr'\n"
    assert sh(fs, "mv /usr/share/nginx /srv && ls /srv").stdout == "html\n"
    assert fs.stat("/usr/share/nginx") is None


def test_sleep(fs: MemFS) -> None:
    assert sh(fs, "sleep 30").duration == 30
    assert sh(fs, "sleep 1m 0.5").duration == 60.5
    assert sh(fs, "sleep infinity").duration == math.inf
    assert run_argv(["sleep", "infinity"], fs).duration == math.inf
    assert sh(fs, "sleep INF").duration == math.inf  # strtod: any case
    assert sh(fs, "sleep 1e308").duration == math.inf  # past a century: never ends
    assert sh(fs, "sleep 36500d").duration == 36500 * 86400
    assert sh(fs, "sleep 5M").stderr.startswith("sleep: invalid time interval '5M'\n")
    r = sh(fs, "sleep x")
    assert (r.stderr, r.exit_code) == (
        "sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n", 1)
    assert sh(fs, "sleep").stderr == "sleep: missing operand\n" \
                                     "Try 'sleep --help' for more information.\n"


def test_true_false_pwd_cd(fs: MemFS) -> None:
    assert run_argv(["true"], fs).exit_code == 0
    assert run_argv(["false"], fs).exit_code == 1
    assert run_argv(["pwd"], fs, cwd="/tmp").stdout == "/tmp\n"
    assert sh(fs, "cd /usr/share && cd nginx/html && pwd && cd .. && pwd").stdout == \
        "/usr/share/nginx/html\n/usr/share/nginx\n"
    assert sh(fs, "cd && pwd").stdout == "/root\n"
    assert sh(fs, "cd /tmp; cd /etc; cd -").stdout == "/tmp\n"
    r = sh(fs, "cd /nope; echo $?")
    assert (r.stdout, r.stderr) == ("2\n", "sh: 1: cd: can't cd to /nope\n")
    r = bash(fs, "cd /etc/passwd")
    assert (r.stderr, r.exit_code) == ("bash: line 1: cd: /etc/passwd: Not a directory\n", 1)
    assert sh(fs, "cd /bin && pwd && pwd -P").stdout == "/bin\n/usr/bin\n"
    r = bash(fs, "unset HOME; cd")
    assert (r.stderr, r.exit_code) == ("bash: line 1: cd: HOME not set\n", 1)


def test_printenv(fs: MemFS) -> None:
    assert sh(fs, "printenv HOME").stdout == "/root\n"
    r = sh(fs, "printenv NOPE")
    assert (r.stdout, r.exit_code) == ("", 1)


def test_wc(fs: MemFS) -> None:
    assert sh(fs, "wc -c /usr/share/nginx/html/index.html").stdout == \
        "615 /usr/share/nginx/html/index.html\n"
    r = sh(fs, "cd /usr/share/nginx/html && wc -c index.html 50x.html")
    assert r.stdout == " 615 index.html\n 497 50x.html\n1112 total\n"
    assert sh(fs, "wc -l /etc/passwd").stdout == "2 /etc/passwd\n"
    assert sh(fs, "wc /etc/group").stdout == " 2  2 23 /etc/group\n"
    r = sh(fs, "wc -c /nope")
    assert (r.stderr, r.exit_code) == ("wc: /nope: No such file or directory\n", 1)


def test_du(fs: MemFS) -> None:
    assert sh(fs, "du -sh /usr/share/nginx/html").stdout == "12K\t/usr/share/nginx/html\n"
    assert sh(fs, "du -s /usr/share/nginx").stdout == "16\t/usr/share/nginx\n"
    assert sh(fs, "du /usr/share/nginx").stdout == \
        "12\t/usr/share/nginx/html\n16\t/usr/share/nginx\n"
    assert sh(fs, "du -sh /nope").stderr == \
        "du: cannot access '/nope': No such file or directory\n"


@pytest.mark.parametrize(("script", "code"), [
    ("[ -e /etc/passwd ]", 0), ("[ -f /etc/passwd ]", 0), ("[ -d /etc/passwd ]", 1),
    ("[ -d /tmp ]", 0), ("[ -e /nope ]", 1), ("test -f /tmp", 1), ("[ -L /bin ]", 0),
    ("[ -d /bin ]", 0), ("[ -s /usr/share/nginx/html/index.html ]", 0),
    ("[ a = a ]", 0), ("[ a != a ]", 1), ("[ 3 -gt 2 ]", 0), ("[ 3 -le 2 ]", 1),
    ("[ -n '' ]", 1), ("[ -z '' ]", 0), ("[ ! -e /nope ]", 0), ("[ x ]", 0), ("[ ]", 1),
    ("[ a = a -a b = b ]", 0), ("[ a = b -o b = b ]", 0), ("[ -e /etc -a ! -d /etc ]", 1),
    ("[ /etc/passwd -nt /nope ]", 0), ("[ /etc/passwd -ef /etc/passwd ]", 0),
])
def test_test_builtin(fs: MemFS, script: str, code: int) -> None:
    assert sh(fs, script).exit_code == code


def test_test_errors(fs: MemFS) -> None:
    r = sh(fs, "[ -e /x")
    assert (r.stderr, r.exit_code) == ("sh: 1: [: missing ]\n", 2)
    assert sh(fs, "[ a -eq 1 ]").stderr == "sh: 1: [: Illegal number: a\n"
    assert bash(fs, "[ a -eq 1 ]").stderr == "bash: line 1: [: a: integer expression expected\n"


def test_whoami_id_hostname(fs: MemFS) -> None:
    assert sh(fs, "whoami").stdout == "root\n"
    assert sh(fs, "id").stdout == "uid=0(root) gid=0(root) groups=0(root)\n"
    assert sh(fs, "hostname", env={"HOSTNAME": "4f2a1c9e7b3d"}).stdout == "4f2a1c9e7b3d\n"
    fs.put("/etc/hostname", b"web\n")
    assert sh(fs, "hostname").stdout == "web\n"


def test_unknown_options_and_long_options(fs: MemFS) -> None:
    assert sh(fs, "rm --recursive --force /tmp; ls /tmp").stderr == \
        "ls: cannot access '/tmp': No such file or directory\n"
    assert sh(fs, "rm --bogus /x").stderr == \
        "rm: unrecognized option '--bogus'\nTry 'rm --help' for more information.\n"
    assert sh(fs, "head -c").stderr == \
        "head: option requires an argument -- 'c'\nTry 'head --help' for more information.\n"


def test_relative_paths_use_cwd(fs: MemFS) -> None:
    r = run_argv(["sh", "-c", "echo hi > f && cat ./f ../tmp/f"], fs, cwd="/tmp")
    assert r.stdout == "hi\nhi\n" and fs.read("/tmp/f") == b"hi\n"


def test_writes_through_a_symlinked_directory(fs: MemFS) -> None:
    sh(fs, "echo tool > /bin/tool")
    assert fs.read("/usr/bin/tool") == b"tool\n"


# --- sizes --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "size"), [
    ("1", 1), ("512k", 512 * 1024), ("1K", 1024), ("1M", 1 << 20), ("10MB", 10_000_000),
    ("1KB", 1000), ("1KiB", 1024), ("1G", 1 << 30), ("2b", 1024), ("1m", 1 << 20), ("M", 1 << 20),
])
def test_head_size_suffixes(fs: MemFS, text: str, size: int) -> None:
    sh(fs, f"head -c {text} /dev/zero > /tmp/z")
    assert entry(fs, "/tmp/z").size == size


@pytest.mark.parametrize("bad", ["1X", "1.5", "1g", "1MiBx", ""])
def test_head_rejects_bad_sizes(fs: MemFS, bad: str) -> None:
    assert sh(fs, f"head -c '{bad}' /dev/zero").exit_code == 1


@pytest.mark.parametrize(("text", "size"), [
    ("1G", 1 << 30), ("1g", 1 << 30), ("10MB", 10_000_000), ("10mb", 10_000_000),
    ("1GiB", 1 << 30), ("4096", 4096), ("1.5G", 3 << 29), ("0x10", 16), ("1KB", 1000),
])
def test_fallocate_size_suffixes(fs: MemFS, text: str, size: int) -> None:
    sh(fs, f"fallocate -l {text} /tmp/f")
    assert entry(fs, "/tmp/f").size == size


@pytest.mark.parametrize(("text", "size"), [
    ("1M", 1 << 20), ("1MB", 10**6), ("1k", 1024), ("2b", 1024), ("4c", 4), ("1w", 2),
])
def test_dd_block_suffixes(fs: MemFS, text: str, size: int) -> None:
    sh(fs, f"dd if=/dev/zero of=/tmp/d bs={text} count=1 status=none")
    assert entry(fs, "/tmp/d").size == size


# --- properties ---------------------------------------------------------------------------

SAFE_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="'\\\x00",
                                           exclude_categories=("Cs", "Cc")), max_size=40)
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.", min_size=1,
                max_size=12).filter(lambda n: n[0] not in ".-")


@settings(max_examples=60, deadline=None)
@given(text=SAFE_TEXT)
def test_echo_then_cat_round_trips(text: str) -> None:
    fs = MemFS()
    r = sh(fs, f"echo -n '{text}' > /tmp/t && cat /tmp/t")
    assert (r.stdout, r.exit_code) == (text, 0)
    assert fs.read("/tmp/t") == text.encode()


@settings(max_examples=60, deadline=None)
@given(text=SAFE_TEXT)
def test_printf_s_preserves_any_single_quoted_argument(text: str) -> None:
    assert sh(MemFS(), f"printf %s '{text}'").stdout == text


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(NAMES, min_size=1, max_size=4))
def test_mkdir_p_then_ls_lists_it(parts: list[str]) -> None:
    fs = MemFS()
    path = "/tmp/" + "/".join(parts)
    r = sh(fs, f"mkdir -p {path} && ls {posixpath.dirname(path)}")
    assert r.exit_code == 0
    assert parts[-1] in r.stdout.splitlines()
    assert sh(fs, f"[ -d {path} ]").exit_code == 0


@settings(max_examples=40, deadline=None)
@given(size=st.integers(min_value=0, max_value=1 << 40))
def test_head_c_size_matches_wc(size: int) -> None:
    fs = MemFS()
    r = sh(fs, f"head -c {size} /dev/zero > /tmp/z && wc -c < /tmp/z")
    assert r.stdout == f"{size}\n"


@settings(max_examples=40, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=6, unique=True))
def test_touch_then_rm_leaves_nothing(names: list[str]) -> None:
    fs = MemFS()
    files = " ".join(f"/tmp/{n}" for n in names)
    assert sh(fs, f"touch {files} && ls /tmp").stdout.splitlines() == sorted(
        names, key=lambda s: s.encode())
    assert sh(fs, f"rm {files} && ls /tmp").stdout == ""


@settings(max_examples=40, deadline=None)
@given(codes=st.lists(st.integers(min_value=0, max_value=255), min_size=1, max_size=5))
def test_exit_status_is_the_last_commands(codes: list[int]) -> None:
    script = "; ".join(f"(exit {c})" for c in codes)
    assert sh(MemFS(), script).exit_code == codes[-1]
