"""Where the reader keeps its files: config, data (store, bookmarks, state) and cache.

Every function only computes a path; nothing is created on import or on a call, so reading
``--help`` or running a headless command leaves no folders behind. Callers that write a file
call :func:`ensure_dir` on its folder first.

``READER_DATA_DIR`` (or ``--data-dir``, passed as ``override``) moves the data and the cache
together, so tests and ``--demo`` never touch the user's real files; ``READER_CONFIG_DIR`` moves
the config file and user themes.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

APP_NAME = "reader"
DATA_DIR_VARIABLE = "READER_DATA_DIR"
CONFIG_DIR_VARIABLE = "READER_CONFIG_DIR"


def _platform() -> ModuleType:
    """platformdirs, imported when a folder is not given: ``reader sync --data-dir`` with
    ``READER_CONFIG_DIR`` set (cron, the benchmarks) never needs it, and its import is ~3 ms
    at load 4 (the command's imports: ~0.1 s)."""
    import platformdirs

    return platformdirs


def _from_environment(variable: str) -> Path | None:
    """The folder named by an environment variable; an empty value counts as unset."""
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser() if value else None


def data_dir(override: str | Path | None = None) -> Path:
    """The data folder: ``override``, else ``READER_DATA_DIR``, else the platform's."""
    if override is not None and str(override).strip():
        return Path(override).expanduser()
    return _from_environment(DATA_DIR_VARIABLE) or Path(_platform().user_data_dir(APP_NAME))


def config_dir() -> Path:
    """The config folder: ``READER_CONFIG_DIR``, else the platform's."""
    return _from_environment(CONFIG_DIR_VARIABLE) or Path(_platform().user_config_dir(APP_NAME))


def config_file() -> Path:
    """The user's ``config.toml``."""
    return config_dir() / "config.toml"


def cache_dir(override: str | Path | None = None) -> Path:
    """The cache folder: inside the data folder when that is moved, else the platform's."""
    moved = (override is not None and str(override).strip()) or _from_environment(DATA_DIR_VARIABLE)
    if moved:
        return data_dir(override) / "cache"
    return Path(_platform().user_cache_dir(APP_NAME))


def user_themes_dir() -> Path:
    """The folder of the user's own theme files, beside ``config.toml``."""
    return config_dir() / "themes"


def display_path(path: Path) -> str:
    """``path`` as a person would type it, for messages: the home folder shown as ``~``."""
    try:
        relative = path.expanduser().resolve().relative_to(Path.home().resolve())
    except (ValueError, RuntimeError, OSError):
        return str(path)
    return "~/" + relative.as_posix()


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing, private to the user; return it."""
    # 0o700: the store holds reading history and bookmarks, which are nobody else's business.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
