"""Who a reader runs as, and the folders each SSH user owns under the data root.

The layout, for every user::

    <data-root>/                      the server's, mode 0711 (enter, not list)
        alice/                        the operator's: alice's keys live here
            authorized_keys           OpenSSH format, owned by the server's account
            data-<32 hex digits>/     alice's reader data (store, bookmarks, config), 0700

The data folder's name is random and only the server can list ``alice/``, so a reader that knows
its own folder cannot find another user's, even though all readers run as one ``--run-as``
account: a folder can be entered by path but not found without its name. Readers started from
root are also undumpable (see :mod:`reader.serve.unprivileged`), so their ``/proc`` entries do
not give their folders away. The reader never holds its own ``authorized_keys``: it lives one
level up, in a folder the reader cannot write.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

USERNAME_RULE = "user names may use letters, digits, '.', '_' and '-', at most 32 of them"
AUTHORIZED_KEYS = "authorized_keys"
_USERNAME = re.compile(r"[A-Za-z0-9._-]{1,32}")
_DATA_FOLDER = re.compile(r"data-[0-9a-f]{32}")


def is_valid_username(name: str) -> bool:
    """True for a user name that is safe as a folder name under the data root."""
    return _USERNAME.fullmatch(name) is not None and name not in {".", ".."}


@dataclass(frozen=True)
class Account:
    """The unprivileged account readers run as when the server was started as root."""

    name: str
    uid: int
    gid: int

    @classmethod
    def named(cls, name: str) -> Account:
        """Look ``name`` up; refuse root and accounts that do not exist."""
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            raise ValueError(f"--run-as: there is no account named {name!r}") from None
        if entry.pw_uid == 0 or entry.pw_gid == 0:
            raise ValueError(f"--run-as: {name!r} is root; name an unprivileged account")
        return cls(name, entry.pw_uid, entry.pw_gid)


def can_enter(path: Path, account: Account) -> bool:
    """True when ``account`` can walk down to ``path`` (search permission on every folder)."""
    for folder in [*reversed(path.parents), path]:
        try:
            info = folder.stat()
        except OSError:
            return False
        if info.st_uid == account.uid:
            needed = stat.S_IXUSR
        elif info.st_gid == account.gid:
            needed = stat.S_IXGRP
        else:
            needed = stat.S_IXOTH
        if not info.st_mode & needed:
            return False
    return True


def prepare_data_root(data_root: Path, account: Account | None) -> None:
    """Create the data root; with ``account``, make sure readers can enter it but not list it."""
    if account is None:
        data_root.mkdir(mode=0o700, parents=True, exist_ok=True)
        return
    data_root.mkdir(mode=0o711, parents=True, exist_ok=True)
    info = data_root.stat()
    if info.st_uid != os.geteuid():
        raise ValueError(f"{data_root} must belong to the server's account (chown it)")
    if stat.S_IMODE(info.st_mode) != 0o711:
        os.chmod(data_root, 0o711)


# Run as the account: import the reader, then walk down to the data root; exit 3 naming the
# first folder it cannot enter.
_REACH_CHECK = """
import os, sys
import reader.cli
parts = [part for part in sys.argv[1].split("/") if part]
for depth in range(len(parts) + 1):
    folder = "/" + "/".join(parts[:depth])
    if not os.access(folder, os.X_OK):
        print(folder)
        sys.exit(3)
"""


def check_account_can_run(account: Account, data_root: Path) -> None:
    """Refuse to start unless ``account`` can run this Python and the reader, and reach the data.

    Asked of the account itself, in a process that has dropped to it as a reader would: the
    kernel answers (ACLs included), not a guess from mode bits.
    """
    import subprocess
    import sys

    argv = [sys.executable, "-I", "-m", "reader.serve.unprivileged", str(account.uid)]
    argv += [str(account.gid), "--", "-c", _REACH_CHECK, str(data_root)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd="/")
    if result.returncode == 3:
        blocked = result.stdout.strip()
        raise ValueError(
            f"the account {account.name!r} cannot enter {blocked}, so its readers could not "
            f"reach their folders; run: chmod o+x {blocked} (or choose another --data-root)"
        )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        closed = closed_folder(Path(sys.executable)) or closed_folder(Path(__file__))
        where = f"{closed} is closed to other accounts; " if closed is not None else ""
        raise ValueError(
            f"the account {account.name!r} cannot run {sys.executable} and the reader ({last}); "
            f"{where}install the reader in a venv every account can read, made from the "
            "system's Python outside /root (e.g. /usr/bin/python3 -m venv /opt/reader), "
            "not with pyenv or a venv in root's home"
        )


def closed_folder(path: Path) -> Path | None:
    """The first folder above ``path`` that other accounts may not enter, by its mode bits."""
    for folder in reversed(path.absolute().parents):
        try:
            mode = folder.stat().st_mode
        except OSError:
            return folder
        if not mode & stat.S_IXOTH:
            return folder
    return None


def user_folder(data_root: Path, username: str) -> Path:
    """The operator's folder for ``username``: their keys, and their reader's data inside."""
    if not is_valid_username(username):
        raise ValueError(USERNAME_RULE)
    return data_root / username


def trusted_by_server(path: Path) -> str | None:
    """Why the server must not trust ``path`` (a keys file or its folder), or None if it can.

    As OpenSSH's StrictModes: it must belong to the server's account and be writable by no one
    else, so a reader (or another account) cannot slip keys in.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return f"unreadable ({error.strerror})"
    if info.st_uid != os.geteuid():
        return f"belongs to uid {info.st_uid}, not the server's"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "writable by group or others"
    return None


def data_folder(user_dir: Path, account: Account | None) -> Path:
    """The user's reader data folder inside ``user_dir``, created (and handed over) if new."""
    if account is not None and stat.S_IMODE(user_dir.stat().st_mode) != 0o711:
        # The reader must be able to pass through to its own folder, and no reader may list
        # the folder to learn the name of another's.
        os.chmod(user_dir, 0o711)
    found = sorted(
        entry
        for entry in user_dir.iterdir()
        if _DATA_FOLDER.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink()
    )
    if len(found) > 1:
        raise ValueError(f"{user_dir} holds more than one data folder")
    if found:
        folder = found[0]
    else:
        folder = user_dir / f"data-{secrets.token_hex(16)}"
        folder.mkdir(mode=0o700)
        if account is not None:
            os.chown(folder, account.uid, account.gid, follow_symlinks=False)
    if account is not None and folder.stat(follow_symlinks=False).st_uid != account.uid:
        raise ValueError(f"{folder} does not belong to {account.name}")
    return folder


def guest_folder(parent: Path, account: Account | None) -> Path:
    """A fresh folder for an anonymous session, deleted when it ends."""
    parent.mkdir(mode=0o711 if account else 0o700, parents=True, exist_ok=True)
    folder = parent / f"guest-{secrets.token_hex(16)}"
    folder.mkdir(mode=0o700)
    if account is not None:
        os.chown(folder, account.uid, account.gid, follow_symlinks=False)
    return folder
