"""The real programs some tests drive: OpenSSH's ``ssh`` and a headless Chromium.

Where one is missing, its tests skip with the reason; with ``READER_REQUIRE_REAL_CLIENTS=1``
(CI sets it, after installing them) a missing program fails the test instead, so a CI run can
never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import asyncssh
import pytest

REQUIRE_VARIABLE = "READER_REQUIRE_REAL_CLIENTS"


def require_program(*names: str, package: str) -> str:
    """The path of the first of ``names`` on PATH; skip (or fail in CI) when there is none."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    why = f"{' or '.join(names)} is not installed (Debian package {package})"
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{why}, and {REQUIRE_VARIABLE}=1 says the real clients must run")
    pytest.skip(why)


def write_identity(folder: Path, name: str, key: asyncssh.SSHKey) -> Path:
    """Save ``key`` as an OpenSSH private key file ``ssh -i`` accepts (mode 0600)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(key.export_private_key("openssh"))
    path.chmod(0o600)
    return path


def ssh_command(
    ssh: str,
    port: int,
    user: str,
    identity: Path,
    known_hosts: Path,
    *options: str,
    command: Sequence[str] = (),
) -> list[str]:
    """An ``ssh`` command line that reads no config, no agent, and trusts only our host key."""
    return [
        ssh,
        "-F",
        "/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "IdentityAgent=none",
        "-o",
        f"UserKnownHostsFile={known_hosts}",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "ConnectTimeout=10",
        "-i",
        str(identity),
        "-p",
        str(port),
        *options,
        f"{user}@127.0.0.1",
        *command,
    ]


def known_hosts_for(folder: Path, port: int, host_key: asyncssh.SSHKey) -> Path:
    """A known_hosts file that lists the test server's host key, and nothing else."""
    path = folder / "known_hosts"
    public = host_key.export_public_key().decode().strip()
    path.write_text(f"[127.0.0.1]:{port} {public}\n")
    return path
