"""Keys and crypto of ``reader serve ssh``: the host key, each user's keys, modern algorithms only.

asyncssh is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.serve.accounts import AUTHORIZED_KEYS, trusted_by_server

if TYPE_CHECKING:
    import asyncssh

#: What the server says it is in its banner: no library name, no version to look up.
SERVER_VERSION = "reader"

# Preference order. Nothing here uses SHA-1 or DSA, nothing is CBC, nothing compresses before
# login. Algorithms this asyncssh build lacks (ML-KEM needs a newer cryptography) are skipped.
_KEX = (
    "mlkem768x25519-sha256",
    "curve25519-sha256",
    "curve25519-sha256@libssh.org",
    "ecdh-sha2-nistp521",
    "ecdh-sha2-nistp384",
    "ecdh-sha2-nistp256",
    "diffie-hellman-group18-sha512",
    "diffie-hellman-group16-sha512",
    "diffie-hellman-group14-sha256",
)
_CIPHERS = (
    "chacha20-poly1305@openssh.com",
    "aes256-gcm@openssh.com",
    "aes128-gcm@openssh.com",
    "aes256-ctr",
    "aes192-ctr",
    "aes128-ctr",
)
_MACS = (
    "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-512-etm@openssh.com",
    "umac-128-etm@openssh.com",
    "hmac-sha2-256",
    "hmac-sha2-512",
)
#: Signatures the server accepts from clients, and offers for its host key.
SIGNATURES = (
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "rsa-sha2-512",
    "rsa-sha2-256",
)
_COMPRESSION = ("none", "zlib@openssh.com")
_SMALLEST_RSA = 2048


def _available(wanted: Sequence[str], supported: Sequence[bytes]) -> list[str]:
    have = {name.decode() for name in supported}
    return [name for name in wanted if name in have]


def crypto_options() -> dict[str, Any]:
    """The algorithm choices for ``asyncssh.listen``: modern ones only, as this build has them."""
    from asyncssh.compression import get_compression_algs
    from asyncssh.encryption import get_encryption_algs
    from asyncssh.kex import get_kex_algs
    from asyncssh.mac import get_mac_algs
    from asyncssh.public_key import get_public_key_algs

    return {
        "kex_algs": _available(_KEX, get_kex_algs()),
        "encryption_algs": _available(_CIPHERS, get_encryption_algs()),
        "mac_algs": _available(_MACS, get_mac_algs()),
        "signature_algs": _available(SIGNATURES, get_public_key_algs()),
        "compression_algs": _available(_COMPRESSION, get_compression_algs()),
        "server_version": SERVER_VERSION,
    }


def fingerprint(key: asyncssh.SSHKey) -> str:
    """The key's SHA-256 fingerprint as OpenSSH prints it (``SHA256:...``)."""
    return str(key.get_fingerprint("sha256"))


def key_refusal(key: asyncssh.SSHKey) -> str | None:
    """Why a client key may not log in whatever file lists it (too old or too weak), or None."""
    algorithm = key.get_algorithm()
    if algorithm == "ssh-dss":
        return "DSA keys are not accepted"
    if algorithm == "ssh-rsa":
        size = getattr(getattr(key, "pyca_key", None), "key_size", 0)
        if size < _SMALLEST_RSA:
            return f"RSA keys need at least {_SMALLEST_RSA} bits"
    return None


def allow_only_modern_signatures(key: asyncssh.SSHKey) -> None:
    """Make ``key`` refuse to verify signatures made with SHA-1 (``ssh-rsa``) or worse.

    asyncssh (2.24) checks a client's signature with any algorithm the key type supports,
    whatever ``signature_algs`` says; the key object it then verifies with is the one handed to
    ``validate_public_key``, so narrowing that object's algorithms closes the gap.
    """
    allowed = {name.encode() for name in SIGNATURES}
    key.all_sig_algorithms = {alg for alg in key.all_sig_algorithms if alg in allowed}


def user_keys(user_dir: Path) -> tuple[asyncssh.SSHAuthorizedKeys | None, str]:
    """The keys that may log in as the user of ``user_dir``, or None and why there are none."""
    import asyncssh

    keys_file = user_dir / AUTHORIZED_KEYS
    for path in (user_dir, keys_file):
        problem = trusted_by_server(path)
        if problem == "missing":
            return None, "no such user" if path == user_dir else f"no {AUTHORIZED_KEYS} file"
        if problem is not None:
            return None, f"{path} ignored: {problem}"
    try:
        text = keys_file.read_text(encoding="utf-8", errors="replace")
        keys: asyncssh.SSHAuthorizedKeys = asyncssh.import_authorized_keys(text)
    except (OSError, asyncssh.KeyImportError) as error:
        return None, f"{keys_file} unreadable: {error}"
    return keys, ""


def load_host_key(path: Path) -> asyncssh.SSHKey:
    """Read the server's host key, creating an ed25519 one (mode 0600) on first start."""
    import asyncssh

    if path.exists():
        return _read_host_key(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519")
    # Written whole under a temporary name, then linked into place: a second server starting
    # at the same moment sees either no key or a complete one, never half of one.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".host_key-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(key.export_private_key())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read_host_key(path)
    finally:
        os.unlink(temporary)
    return key


def _read_host_key(path: Path) -> asyncssh.SSHKey:
    import asyncssh

    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path} can be read by other users; run: chmod 600 {path}")
    key: asyncssh.SSHKey = asyncssh.read_private_key(str(path))
    return key
