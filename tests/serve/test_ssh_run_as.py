"""`reader serve ssh --run-as`: readers started from root run unprivileged, each in its own folder.

These tests need root and an unprivileged account. Run as root with CI=true, they create the
account ``reader-test-run-as`` and remove it afterwards; elsewhere they use it if it exists, and
skip with the reason if not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from reader.serve import SERVE_FAILED
from reader.serve import ssh as serve_ssh
from reader.serve.accounts import Account, can_enter, closed_folder
from tests.support.pty_screen import TerminalScreen
from tests.support.ssh_server import (
    add_user,
    connect,
    open_terminal,
    read_until,
    running,
    server_options,
    settle,
)

pytestmark = pytest.mark.timeout(120)

ACCOUNT = "reader-test-run-as"


def _as_account(account: Account, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` as ``account``, the way the server starts readers."""
    argv = [sys.executable, "-I", "-m", "reader.serve.unprivileged", str(account.uid)]
    argv += [str(account.gid), "--", "-c", code, *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd="/")


@pytest.fixture(scope="module")
def account() -> Iterator[Account]:
    if os.geteuid() != 0:
        pytest.skip("--run-as needs the tests to run as root")
    created = False
    try:
        pwd.getpwnam(ACCOUNT)
    except KeyError:
        if os.environ.get("CI") != "true":
            pytest.skip(f"no account {ACCOUNT!r}; CI=true creates one, or: useradd -r {ACCOUNT}")
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ACCOUNT],
            check=True,
        )
        created = True
    opened: list[tuple[Path, bool]] = []
    try:
        found = Account.named(ACCOUNT)
        if os.environ.get("CI") == "true":
            opened = _let_in(found)
        check = _as_account(found, "import reader, asyncssh")
        if check.returncode != 0:
            pytest.skip(f"{ACCOUNT} cannot run this Python and the reader: {check.stderr[-300:]}")
        yield found
    finally:
        for folder, had_acl in opened:
            # Back as it was: without an ACL before, none at all (not even an empty mask).
            undo = ["-x", f"u:{ACCOUNT}"] if had_acl else ["-b"]
            subprocess.run(["setfacl", *undo, str(folder)], check=False)
        if created:
            subprocess.run(["userdel", ACCOUNT], check=False)


def _let_in(account: Account) -> list[tuple[Path, bool]]:
    """Let the test account pass through the folders between it and this Python and the reader.

    CI's Python may live in root's home (pyenv), which no other account can enter. An ACL entry
    for the test account alone (search only, no listing) is added to each folder that blocks
    it, and taken off again after the tests.
    """
    import asyncssh as library

    import reader

    needed = [Path(sys.base_prefix), Path(sys.prefix), Path(reader.__file__).parent]
    needed.append(Path(library.__file__).parent)
    blocking: list[Path] = []
    for path in needed:
        for folder in [*reversed(path.resolve().parents), path.resolve()]:
            if folder not in blocking and not can_enter(folder, account):
                blocking.append(folder)
    if blocking and shutil.which("setfacl") is None:
        pytest.fail(f"{ACCOUNT} cannot enter {blocking[0]}, and setfacl (Debian's acl) is missing")
    opened = []
    for folder in blocking:
        before = subprocess.run(
            ["getfacl", "--skip-base", "--absolute-names", str(folder)],
            capture_output=True,
            text=True,
            check=True,
        )
        subprocess.run(["setfacl", "-m", f"u:{ACCOUNT}:x", str(folder)], check=True)
        opened.append((folder, bool(before.stdout.strip())))
    return opened


@pytest.fixture
def reachable_root() -> Iterator[Path]:
    """A folder the account can enter (pytest's own temporary folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="reader-run-as-"))
    folder.chmod(0o711)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def test_readers_run_unprivileged_and_see_only_their_own_folder(
    account: Account, reachable_root: Path
) -> None:
    keys = {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("alice", "bob")}
    users = reachable_root / "users"
    for name, key in keys.items():
        add_user(users, name, key)
    options = server_options(reachable_root, run_as=account, data_root=users)
    async with (
        running(options) as (port, table),
        connect(port, keys["alice"], username="alice") as alice,
        connect(port, keys["bob"], username="bob") as bob,
    ):
        _process, alice_screen = await open_terminal(alice, 250, 30)
        _process, bob_screen = await open_terminal(bob, 250, 30)
        assert f"UID {account.uid} CWD {users / 'alice'}/data-" in alice_screen.text()
        assert f"UID {account.uid} CWD {users / 'bob'}/data-" in bob_screen.text()
        # Nothing on the command line names the folder.
        assert "ARGS --data-dir /proc/self/cwd" in alice_screen.text()
        (alice_folder,) = (users / "alice").glob("data-*")
        bob_pid = next(pid for pid in table.reader_pids() if _cwd_of(pid).parent.name == "bob")
        paths = [
            str(users),
            str(users / "bob"),
            str(users / "bob" / "authorized_keys"),
            str(options.host_key),
            f"/proc/{bob_pid}/cwd",
            f"/proc/{bob_pid}/environ",
            str(alice_folder),
        ]
        result = _as_account(account, _PROBE, *paths)
        lines = result.stdout.splitlines()
        assert result.returncode == 0, result.stderr
        assert lines[:-1] == [f"DENIED {path}" for path in paths[:-1]], lines
        assert lines[-1] == f"OPEN {alice_folder}"


_PROBE = """
import os, sys
for path in sys.argv[1:]:
    try:
        os.listdir(path) if os.path.isdir(path) else open(path).read()
        print("OPEN", path)
    except OSError:
        print("DENIED", path)
"""


def _cwd_of(pid: int) -> Path:
    return Path(os.readlink(f"/proc/{pid}/cwd"))


async def test_the_real_reader_runs_unprivileged(account: Account, reachable_root: Path) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    users = reachable_root / "users"
    add_user(users, "alice", key)
    options = server_options(
        reachable_root,
        run_as=account,
        data_root=users,
        reader_command=(sys.executable, "-I", "-m", "reader"),
        reader_args=("--demo",),
    )
    async with running(options) as (port, table), connect(port, key) as conn:
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(120, 40), encoding=None
        )
        terminal = TerminalScreen(120, 40, answer=process.stdin.write)
        await read_until(
            process, terminal, lambda s: re.search(r"\bNews \(?\d+", s) is not None, 90
        )
        await settle(process, terminal)
        (pid,) = table.reader_pids()
        # Undumpable: its /proc entries belong to root, not to the account it runs as.
        assert os.stat(f"/proc/{pid}/environ").st_uid == 0
        status = Path(f"/proc/{pid}/status").read_text()
        assert re.search(rf"^Uid:\s+{account.uid}\s+{account.uid}\s", status, re.M), status
        (folder,) = (users / "alice").glob("data-*")
        # The store (SQLite, through /proc/self/cwd) and everything else: the account's own.
        stored = list(folder.rglob("*"))
        assert any(path.suffix in {".sqlite", ".db", ".sqlite3"} for path in stored), stored
        assert all(path.stat().st_uid == account.uid for path in stored)
        process.stdin.write(b"q")
        await asyncio.wait_for(process.wait_closed(), 30)


async def test_the_server_will_not_start_where_its_account_cannot_reach(
    account: Account, reachable_root: Path
) -> None:
    private = reachable_root / "private"
    private.mkdir(mode=0o700)
    options = server_options(reachable_root, run_as=account, data_root=private / "users")
    with pytest.raises(ValueError, match=f"cannot enter {private}, .* chmod o\\+x {private} "):
        async with running(options):
            pass
    private.chmod(0o711)
    async with running(options):
        assert stat.S_IMODE((private / "users").stat().st_mode) == 0o711


def test_root_without_run_as_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    parser = argparse.ArgumentParser(prog="reader")
    parser.add_argument("--data-dir")
    serve = parser.add_subparsers(dest="command").add_parser("serve").add_subparsers()
    serve_ssh.add_arguments(serve.add_parser("ssh"))
    args = parser.parse_args(["--data-dir", str(tmp_path), "serve", "ssh"])
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert serve_ssh.run(args) == SERVE_FAILED
    assert "--run-as" in capsys.readouterr().err
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    args = parser.parse_args(["--data-dir", str(tmp_path), "serve", "ssh", "--run-as", "root"])
    assert serve_ssh.run(args) == SERVE_FAILED
    assert "is root" in capsys.readouterr().err
    args = parser.parse_args(["--data-dir", str(tmp_path), "serve", "ssh", "--run-as", "nobody"])
    assert serve_ssh.run(args) == SERVE_FAILED
    assert "needs the server to be started as root" in capsys.readouterr().err


def test_the_folder_closed_to_other_accounts_is_named() -> None:
    # What the refusal names when the account cannot run the reader's Python (pyenv in /root).
    # Made in /tmp itself: pytest's own temporary folders are closed to other accounts.
    top = Path(tempfile.mkdtemp(prefix="reader-closed-"))
    try:
        top.chmod(0o755)
        home = top / "root-like"
        python = home / ".pyenv" / "bin" / "python3"
        python.parent.mkdir(parents=True)
        python.touch()
        home.chmod(0o700)
        assert closed_folder(python) == home
        home.chmod(0o711)
        assert closed_folder(python) is None
    finally:
        shutil.rmtree(top)
