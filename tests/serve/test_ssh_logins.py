"""Who logs in to `reader serve ssh`: each key as its own user only, with modern crypto only."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import asyncssh
import pytest

from reader.serve.operator_log import OperatorLog, quoted
from reader.serve.ssh_keys import (
    allow_only_modern_signatures,
    crypto_options,
    key_refusal,
    load_host_key,
)
from tests.support.ssh_server import (
    add_user,
    connect,
    log_lines,
    open_terminal,
    running,
    server_options,
)

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def alice_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


@pytest.fixture(scope="module")
def bob_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ecdsa-sha2-nistp256")


async def test_a_key_logs_in_only_as_the_user_whose_file_lists_it(
    tmp_path: Path,
    alice_key: asyncssh.SSHKey,
    bob_key: asyncssh.SSHKey,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    users = tmp_path / "users"
    add_user(users, "alice", alice_key)
    add_user(users, "bob", bob_key)
    async with running(server_options(tmp_path)) as (port, _table):
        async with connect(port, alice_key, username="alice") as conn:
            _process, terminal = await open_terminal(conn, 250, 30)
            assert f"CWD {users / 'alice'}/data-" in terminal.text()
        async with connect(port, bob_key, username="bob") as conn:
            _process, terminal = await open_terminal(conn, 250, 30)
            assert f"CWD {users / 'bob'}/data-" in terminal.text()
        # alice's key opens nothing of bob's, nor of a user who does not exist.
        for name in ("bob", "carol"):
            with pytest.raises(asyncssh.PermissionDenied):
                async with connect(port, alice_key, username=name):
                    pass
        # A key added to a user's file works at once: the file is read at every login.
        with open(users / "bob" / "authorized_keys", "ab") as keys:
            keys.write(alice_key.export_public_key())
        async with connect(port, alice_key, username="bob") as conn:
            assert conn.get_extra_info("username") == "bob"
    lines = log_lines(caplog.records)
    alice, bob = alice_key.get_fingerprint("sha256"), bob_key.get_fingerprint("sha256")
    assert sum(line.startswith("login user=alice ") and f"key={alice}" in line for line in lines)
    assert sum(line.startswith("login user=bob ") and f"key={bob}" in line for line in lines)
    failed = [line for line in lines if line.startswith("login failed")]
    assert len(failed) == 2, lines
    assert "user=bob peer=127.0.0.1:" in failed[0] and f"key={alice}" in failed[0]
    assert 'reason="key not in bob\'s authorized_keys"' in failed[0]
    assert "user=carol" in failed[1] and 'reason="no such user"' in failed[1]


async def test_keys_files_others_could_write_are_ignored(
    tmp_path: Path, alice_key: asyncssh.SSHKey, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    folder = add_user(tmp_path / "users", "alice", alice_key)
    (folder / "authorized_keys").chmod(0o666)
    async with running(server_options(tmp_path)) as (port, _table):
        with pytest.raises(asyncssh.PermissionDenied):
            async with connect(port, alice_key):
                pass
        (folder / "authorized_keys").chmod(0o644)
        async with connect(port, alice_key) as conn:
            assert conn.get_extra_info("username") == "alice"
    assert any(
        line.startswith("keys ignored user=alice") and "writable by group or others" in line
        for line in log_lines(caplog.records)
    )


async def test_passwords_and_bad_names_are_refused(
    tmp_path: Path, alice_key: asyncssh.SSHKey, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    add_user(tmp_path / "users", "alice", alice_key)
    async with running(server_options(tmp_path)) as (port, _table):
        for method in ("password", "keyboard-interactive"):
            with pytest.raises(asyncssh.PermissionDenied):
                async with connect(port, None, password="correct horse", preferred_auth=method):
                    pass
        with pytest.raises(asyncssh.DisconnectError):
            async with connect(port, alice_key, username="../alice"):
                pass
    failed = [line for line in log_lines(caplog.records) if line.startswith("login failed")]
    assert len(failed) == 3
    assert "user=\"'../alice'\"" in failed[2] and 'reason="invalid user name"' in failed[2]
    assert all('reason="no key offered that logs in as alice"' in line for line in failed[:2])


async def test_old_crypto_is_not_negotiated_and_the_banner_names_no_version(
    tmp_path: Path, alice_key: asyncssh.SSHKey
) -> None:
    add_user(tmp_path / "users", "alice", alice_key)
    async with running(server_options(tmp_path)) as (port, _table):
        async with connect(port, alice_key) as conn:
            assert conn.get_extra_info("server_version") == "SSH-2.0-reader"
        old: list[dict[str, list[str]]] = [
            {"kex_algs": ["diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"]},
            # With an AEAD cipher no MAC is used at all; CTR makes the MAC count.
            {
                "mac_algs": ["hmac-sha1", "hmac-sha1-etm@openssh.com", "hmac-md5"],
                "encryption_algs": ["aes128-ctr"],
            },
            {"encryption_algs": ["aes128-cbc", "3des-cbc"]},
        ]
        for choice in old:
            with pytest.raises(asyncssh.KeyExchangeFailed):
                async with connect(port, alice_key, **choice):
                    pass
    chosen = crypto_options()
    everything = [*chosen["kex_algs"], *chosen["mac_algs"], *chosen["signature_algs"]]
    assert not [name for name in everything if "sha1" in name or name in {"ssh-rsa", "ssh-dss"}]
    assert not [name for name in chosen["encryption_algs"] if "cbc" in name]
    assert "zlib" not in chosen["compression_algs"]


def test_sha1_signatures_do_not_verify_and_dsa_keys_are_refused() -> None:
    rsa = asyncssh.generate_private_key("ssh-rsa", key_size=2048)
    public = asyncssh.import_public_key(rsa.export_public_key())
    allow_only_modern_signatures(public)
    assert public.verify(b"session", rsa.sign(b"session", b"rsa-sha2-256"))
    assert not public.verify(b"session", rsa.sign(b"session", b"ssh-rsa"))
    assert key_refusal(public) is None

    small = asyncssh.generate_private_key("ssh-rsa", key_size=1024)
    assert key_refusal(small) == "RSA keys need at least 2048 bits"
    if "ssh-dss" in asyncssh.public_key.get_public_key_algs().__repr__():
        assert key_refusal(asyncssh.generate_private_key("ssh-dss")) == "DSA keys are not accepted"


async def test_host_key_is_made_once_and_reused(tmp_path: Path, alice_key: asyncssh.SSHKey) -> None:
    add_user(tmp_path / "users", "alice", alice_key)
    options = server_options(tmp_path)
    fingerprints = []
    for _ in range(2):
        async with running(options) as (port, _table), connect(port, alice_key) as conn:
            fingerprints.append(conn.get_server_host_key().get_fingerprint())
    assert fingerprints[0] == fingerprints[1]
    assert os.stat(options.host_key).st_mode & 0o777 == 0o600
    assert [path.name for path in options.host_key.parent.iterdir()] == ["host_key"]

    options.host_key.chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        load_host_key(options.host_key)


def test_the_operator_log_holds_a_flood_back_and_says_how_big_it_was() -> None:
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("tests.operator_log")
    logger.propagate = False
    logger.addHandler(Collect())
    logger.setLevel(logging.INFO)
    now = [0.0]
    log = OperatorLog(logger, burst=5, per_second=1.0, clock=lambda: now[0])
    for number in range(1000):
        log.event("login failed", user=f"u{number}", peer="10.0.0.1:1")
    log.event("login", user="alice")
    assert len(records) == 6
    now[0] = 1.0
    log.event("login failed", user="late")
    assert records[-1].endswith("(and 995 more login failed lines held back)")
    for _ in range(3):
        log.event("login failed", user="x")
    log.flush()
    assert records[-1] == "login failed (3 more lines held back)"
    assert quoted("a b\x1b[2J\n") == '"a b\\x1b[2J\\n"'
    assert quoted("alice") == "alice"


async def test_restart_at_once_on_the_same_port(tmp_path: Path, alice_key: asyncssh.SSHKey) -> None:
    add_user(tmp_path / "users", "alice", alice_key)
    options = server_options(tmp_path)
    async with running(options) as (port, _table):
        conn = await connect(port, alice_key)
        await open_terminal(conn)
        # The server hangs up first, so its side of the connection waits in TIME_WAIT...
    await asyncio.wait_for(conn.wait_closed(), 10)
    # ...and a new server must still bind the port at once.
    async with running(server_options(tmp_path, port=port)) as (again, _table):
        assert again == port
        async with connect(port, alice_key) as conn:
            await asyncio.wait_for(open_terminal(conn), 15)
