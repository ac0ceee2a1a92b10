"""The ``[[sources]]`` list in ``config.toml``, edited in place for ``reader sources``.

The file is the user's: it is changed with tomlkit, which keeps every comment and the layout
of everything else, and written atomically (a temporary file beside it, then a rename), so a
crash never leaves half a config. A file that is not valid TOML is never touched: the user
fixes it first. With no list yet, the one source read so far (``site`` or ``feed``, the
institute's site by default) becomes the list's first entry, so adding a second source means
reading both, and the ``site``/``feed`` keys it came from leave the file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from reader.core import paths
from reader.core.config import Config
from reader.core.source import Source


class SourceListProblem(Exception):
    """The config file cannot be read or written; the message says why and what to do."""


def add_sources(path: Path, config: Config, sources: Sequence[Source]) -> None:
    """Append ``sources`` to the list (starting one from the source read so far)."""
    document = _load(path)
    listed = _listed(document, config)
    for source in sources:
        listed.append(_table(source))
    _save(path, document)


def remove_source(path: Path, config: Config, source: Source) -> None:
    """Take ``source`` off the list (which may leave it empty: nothing is read)."""
    document = _load(path)
    listed = _listed(document, config)
    index = _index_of(listed, source)
    del listed[index]
    if not len(listed):
        # No tables left would read as "no list", which means the institute again.
        document["sources"] = tomlkit.array()
    _save(path, document)


def rename_source(path: Path, config: Config, source: Source, name: str) -> None:
    """Give ``source`` a new name in the list."""
    document = _load(path)
    listed = _listed(document, config)
    listed[_index_of(listed, source)]["name"] = name
    _save(path, document)


def _listed(document: tomlkit.TOMLDocument, config: Config) -> AoT:
    """The document's ``[[sources]]``, made from the one source read so far when missing."""
    existing = document.get("sources")
    if isinstance(existing, AoT):
        return existing
    if existing is not None and not (isinstance(existing, list) and not existing):
        raise SourceListProblem(
            f"{_where(config)}: 'sources' is not a list of [[sources]] tables; fix it by hand first"
        )
    listed = tomlkit.aot()
    if existing is None:
        for source in config.reading_list():
            listed.append(_table(source))
        for key in ("site", "feed"):
            if key in document:
                del document[key]
    if "sources" in document:
        del document["sources"]
    document.append("sources", listed)
    return listed


def _index_of(listed: AoT, source: Source) -> int:
    for index, table in enumerate(listed):
        entry = _entry_source(table)
        if entry is not None and entry.key == source.key:
            return index
    raise SourceListProblem(f"{source.label} is not in the [[sources]] list")


def _entry_source(table: Any) -> Source | None:
    site, feed = table.get("site"), table.get("feed")
    if isinstance(site, str):
        return Source.site(site)
    if isinstance(feed, str):
        return Source.feed(feed)
    return None


def _table(source: Source) -> Table:
    table = tomlkit.table()
    table.add("site" if source.is_site else "feed", source.url)
    if source.name:
        table.add("name", source.name)
    if source.sections is not None:
        table.add("sections", list(source.sections))
    if source.group:
        table.add("group", source.group)
    return table


def _where(config: Config) -> str:
    return paths.display_path(config.source or paths.config_file())


def _load(path: Path) -> tomlkit.TOMLDocument:
    where = paths.display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return tomlkit.document()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise SourceListProblem(f"{where}: cannot read the config file ({reason})") from None
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise SourceListProblem(
            f"{where}: not valid TOML ({error}); it was left untouched: fix it first"
        ) from None


def _spaced(text: str) -> str:
    """``text`` with a blank line before each ``[[...]]`` header that follows a value (not a
    comment, which belongs to the table under it), and a newline at its end."""
    lines: list[str] = []
    for line in text.splitlines():
        before = lines[-1].strip() if lines else ""
        if line.startswith("[[") and before and not before.startswith("#"):
            lines.append("")
        lines.append(line)
    return "\n".join(lines) + "\n" if lines else ""


def _save(path: Path, document: tomlkit.TOMLDocument) -> None:
    where = paths.display_path(path)
    # Tables appended to a parsed list come out with no blank line before them, and the last
    # with no newline at its end (tomlkit): the file is one people also edit by hand.
    text = _spaced(tomlkit.dumps(document))
    try:
        paths.ensure_dir(path.parent)
        handle, temporary = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise SourceListProblem(f"{where}: cannot write the config ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise SourceListProblem(f"{where}: cannot write the config ({error.strerror})") from None
