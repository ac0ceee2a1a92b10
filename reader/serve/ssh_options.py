"""What one ``reader serve ssh`` server is told: its files, its limits, who runs the readers."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reader.serve.accounts import Account
from reader.serve.limits import Limits


def _data_home(data_dir: str | os.PathLike[str] | None = None) -> Path:
    # --data-dir and READER_DATA_DIR move everything the reader keeps, the server's files too.
    chosen = data_dir or os.environ.get("READER_DATA_DIR")
    if not chosen:
        import platformdirs

        chosen = platformdirs.user_data_dir("reader")
    return Path(chosen)


def default_host_key_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the server keeps its host key unless ``--host-key`` says otherwise."""
    return _data_home(data_dir) / "ssh" / "host_key"


def default_data_root(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where per-user folders live unless ``--data-root`` says otherwise."""
    return _data_home(data_dir) / "ssh" / "users"


@dataclass(frozen=True)
class SSHOptions:
    """Everything one SSH server needs to know; the command line fills it in."""

    host: str = "127.0.0.1"
    port: int = 8022
    host_key: Path = field(default_factory=default_host_key_path)
    anonymous: bool = False
    data_root: Path = field(default_factory=default_data_root)
    limits: Limits = field(default_factory=Limits)
    #: The account readers run as (the server must then be root); None: the server's own.
    run_as: Account | None = None
    reader_args: tuple[str, ...] = ()
    #: The program each session runs; ``--data-dir <folder>`` and ``reader_args`` follow it.
    #: Isolated mode (-I): no PYTHON* variables, no user site-packages, no current folder.
    reader_command: tuple[str, ...] = (sys.executable, "-I", "-m", "reader")
    #: Seconds between SIGHUP and SIGKILL when a session's reader is hung up on.
    hangup_grace: float = 2.0
