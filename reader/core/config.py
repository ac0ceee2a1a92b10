"""The reader's settings: ``config.toml``, read leniently, plus a little remembered UI state.

The text below (up to the end of this docstring) is written in Markdown for the README.

## The config file

The reader works with no config file at all. To change a setting, create `config.toml` in the
config folder (`~/.config/reader/` on Linux; `READER_CONFIG_DIR` moves it). `reader config show`
prints the settings in force and the file they came from. Every key is optional:

- `[[sources]]`: the sites and feeds to read, one table each, in the order the sidebar shows
  them (the institute's site first). Each has `site = "URL"` (a WordPress site: its feed, REST
  API and pages) or `feed = "URL"` (any RSS or Atom feed; a path reads a file), and optionally
  `name` (what `reader sync NAME` and the sidebar call it; default: the host), `sections` (its
  own, instead of the ones below) and `group` (a folder it was filed under, kept from OPML).
  `reader sources add`, `remove`, `rename` and `import` edit this list for you, keeping your
  comments. Default: no list, which reads `site` (or `feed`) alone.
- `site`: address of the WordPress site to read when there is no `[[sources]]` list. Default
  `"https://stemcell.keck.usc.edu/"`.
- `feed`: an RSS or Atom feed to read instead of the site's own, when there is no list.
  Default: unset, which reads `<site>/feed/`.
- `sections`: category names shown as sections at the top of a source's tree in the sidebar,
  in this order, for every source without `sections` of its own; other categories are listed
  under Topics. Default `["News", "Events", "Videos", "Impact Reports and Newsletters"]`.
- `theme`: the theme to start with: `institute-dark` (default), `institute-light`,
  `high-contrast`, `ansi` (the terminal's own colours; best over SSH or with 16 colours), a
  Textual built-in theme, or one of your own.
- `refresh_on_start`: fetch new posts when the reader starts. Default `true`.
- `refresh_interval_minutes`: fetch new posts every this many minutes while the reader is
  open; `0` never does. Default `30`.
- `images`: how article pictures are drawn: `"auto"` (a terminal graphics protocol the
  terminal says it has — Kitty, iTerm2 or Sixel — else Unicode half blocks), `"blocks"`
  (always half blocks) or `"off"` (the alt text and caption only). `i` toggles them while
  reading. Default `"auto"`.
- `image_cache_mb`: the most disk space the image cache takes, in MB; the images used longest
  ago go first. Bookmarked articles keep their images outside it. Default `200`.
- `[keys]`: your own keys for any command: its binding id, then one or more keys separated by
  commas. The help screen (`?`) lists the ids. Default: none changed.

For example:

```toml
sections = ["News", "Events", "Videos", "Impact Reports and Newsletters"]
theme = "ansi"
refresh_on_start = true
refresh_interval_minutes = 60

[keys]
app.quit = "q,ctrl+q"
bookmarks.toggle = "b,ctrl+b"

[[sources]]
site = "https://stemcell.keck.usc.edu/"
name = "institute"

[[sources]]
feed = "https://example.org/news/rss.xml"
name = "journal"
sections = ["Research"]
```

A mistake in the file never stops the reader. A file that is not valid TOML is set aside (the
defaults are used) with a message naming the line to fix; a misspelt key or a value of the
wrong kind is ignored with a message naming the key and what it should be, and so is a `[keys]`
entry whose binding id no command has (with the nearest id, when one is close); a bad entry of
`[[sources]]` is skipped with a message of its own. `reader config show` says so too, and says
when the theme named does not exist or a theme chosen in the reader wins over it. Only
`reader sources` writes to `config.toml` (in place, comments kept); a theme chosen from the
command palette is remembered in `state.json` in the data folder, and wins over `theme` until
another is chosen.

Your own themes are TOML files in `<config folder>/themes/`, in the same format as the bundled
ones in `themes/`; one with the name of a bundled theme replaces it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from reader.core import paths
from reader.core.binding_ids import BINDING_IDS
from reader.core.records import record
from reader.core.source import Source
from reader.core.text import strip_controls

DEFAULT_SITE = "https://stemcell.keck.usc.edu/"
DEFAULT_SECTIONS = ("News", "Events", "Videos", "Impact Reports and Newsletters")
DEFAULT_THEME = "institute-dark"
DEFAULT_REFRESH_INTERVAL_MINUTES = 30
#: How pictures are drawn: the choices of the ``images`` setting.
IMAGE_MODES = ("auto", "blocks", "off")
DEFAULT_IMAGE_CACHE_MB = 200
STATE_FILE_NAME = "state.json"
#: The key in ``state.json`` that remembers the theme chosen in the UI.
THEME_STATE_KEY = "theme"


def _no_keys() -> Mapping[str, str]:
    return MappingProxyType({})


@record
class Config:
    """The settings in force: the defaults, overridden by whatever ``config.toml`` got right."""

    site: str = DEFAULT_SITE
    """Address of the WordPress site to read."""
    feed: str | None = None
    """An RSS/Atom feed to read instead of the site's own; ``None`` uses the site's."""
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    """Category names shown as sections, in order."""
    theme: str = DEFAULT_THEME
    """Name of the theme to start with (a choice saved in the UI state wins over it)."""
    keys: Mapping[str, str] = field(default_factory=_no_keys, hash=False)
    """Textual keymap: binding id -> ``"key1,key2"``."""
    refresh_on_start: bool = True
    """Fetch new posts when the reader starts."""
    refresh_interval_minutes: int = DEFAULT_REFRESH_INTERVAL_MINUTES
    """Minutes between background refreshes; 0 means never."""
    images: str = "auto"
    """How pictures are drawn: "auto", "blocks" or "off"."""
    image_cache_mb: int = DEFAULT_IMAGE_CACHE_MB
    """The image cache's cap on disk, in MB."""
    sources: tuple[Source, ...] | None = None
    """The ``[[sources]]`` list, as written; None when the file has none (an empty list
    reads nothing)."""
    source: Path | None = field(default=None, compare=False)
    """The file these settings came from; ``None`` when there was none."""
    set_aside: bool = field(default=False, compare=False)
    """True when ``source`` exists but could not be used at all (the defaults are in force)."""

    def __post_init__(self) -> None:
        # A read-only copy, so a caller's dict can't change a frozen config behind its back.
        object.__setattr__(self, "keys", MappingProxyType(dict(self.keys)))

    def reading_list(self, titles: Mapping[str, str] | None = None) -> tuple[Source, ...]:
        """The sources to read, each with a name of its own, the institute's site first.

        ``titles`` (by source key: what the store knows of their feeds' titles) names a
        second source on a host by its title rather than ``host-2`` (see :func:`named`).

        The ``[[sources]]`` list when there is one; else ``site`` (or ``feed``) alone, as
        before there were lists.
        """
        if self.sources is not None:
            listed = self.sources
        elif self.feed:
            listed = (Source.feed(self.feed),)
        else:
            listed = (Source.site(self.site),)
        institute = Source.site(DEFAULT_SITE).key
        return named(sorted(listed, key=lambda source: source.key != institute), titles)


def named(sources: Sequence[Source], titles: Mapping[str, str] | None = None) -> tuple[Source, ...]:
    """``sources`` with every name told apart.

    A source with no name of its own whose host names another source is named by its feed's
    title where ``titles`` (by key) knows it, else ``host-2``; so is one whose name an earlier
    ``reader sources add`` made so (``host-2`` in the config). Two feeds of one host were
    ``127.0.0.1:8000`` and ``127.0.0.1:8000-2`` in ``reader sources list`` for good.
    """
    taken: set[str] = set()
    out: list[Source] = []
    for source in sources:
        title = " ".join(strip_controls((titles or {}).get(source.key, "")).split())[:80]
        clashes = source.label.casefold() in taken
        if title and (source.name_is_made or (clashes and not source.name)):
            made = source.name or _apart(source.label, taken)
            source = replace(source, name=_apart(title, taken), also_called=made)
        elif clashes:
            source = replace(source, name=_apart(source.label, taken))
        taken.add(source.label.casefold())
        out.append(source)
    return tuple(out)


def _apart(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2`` (``-3``...) when a source has it already."""
    if name.casefold() not in taken:
        return name
    number = 2
    while f"{name}-{number}".casefold() in taken:
        number += 1
    return f"{name}-{number}"


class _Mistake(Exception):
    """A value in the config file that cannot be used; the message says what it should be."""


def _site(value: object) -> str:
    return _web_address(value, f'the address of a WordPress site, e.g. "{DEFAULT_SITE}"')


def _feed(value: object) -> str:
    return _web_address(
        value, 'the address of an RSS or Atom feed, e.g. "https://example.org/feed/"'
    )


def _web_address(value: object, expected: str) -> str:
    if isinstance(value, str):
        address = strip_controls(value).strip()
        parts = urlsplit(address)
        if parts.scheme in ("http", "https") and parts.netloc:
            return address
    raise _Mistake(expected)


def _sections(value: object) -> tuple[str, ...]:
    expected = 'a list of category names in quotes, e.g. ["News", "Events"]'
    if not isinstance(value, list):
        raise _Mistake(expected)
    names: list[str] = []
    for item in value:
        if not isinstance(item, str) or not strip_controls(item).strip():
            raise _Mistake(expected)
        names.append(strip_controls(item).strip())
    return tuple(names)


def _theme(value: object) -> str:
    if isinstance(value, str) and strip_controls(value).strip():
        return strip_controls(value).strip()
    raise _Mistake(f'a theme name in quotes, e.g. "{DEFAULT_THEME}"')


def _refresh_on_start(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _Mistake("true or false (no quotes)")


def _refresh_interval(value: object) -> int:
    # bool is an int in Python, but "true" minutes is surely a mistake.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _Mistake("a whole number of minutes, e.g. 30 (0 never refreshes)")


def _images(value: object) -> str:
    if isinstance(value, str) and value.strip().lower() in IMAGE_MODES:
        return value.strip().lower()
    raise _Mistake('"auto", "blocks" or "off"')


def _image_cache_mb(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _Mistake(f"a whole number of megabytes, e.g. {DEFAULT_IMAGE_CACHE_MB}")


def _key_list(value: object) -> str:
    if isinstance(value, str):
        keys = [key.strip() for key in strip_controls(value).split(",")]
        if all(keys):
            return ",".join(keys)
    raise _Mistake('one or more keys in quotes, separated by commas, e.g. "q,ctrl+q"')


#: Each setting: how to check a value, and what to say is used instead when it is wrong.
_SETTINGS: dict[str, tuple[Callable[[object], Any], str]] = {
    "site": (_site, DEFAULT_SITE),
    "feed": (_feed, "the site's own feed"),
    "sections": (_sections, "the default sections"),
    "theme": (_theme, DEFAULT_THEME),
    "refresh_on_start": (_refresh_on_start, "true"),
    "refresh_interval_minutes": (_refresh_interval, str(DEFAULT_REFRESH_INTERVAL_MINUTES)),
    "images": (_images, '"auto"'),
    "image_cache_mb": (_image_cache_mb, str(DEFAULT_IMAGE_CACHE_MB)),
}
_KNOWN_KEYS = (*_SETTINGS, "keys", "sources")
_SOURCE_KEYS = ("site", "feed", "name", "sections", "group")


def _feed_address(value: object) -> str:
    """A feed's address, or the path of a feed file (absolute, or from ``~``)."""
    if isinstance(value, str):
        path = strip_controls(value).strip()
        if path.startswith(("/", "~")):
            return path
    return _feed(value)


def _label(value: object, what: str) -> str:
    if isinstance(value, str) and (text := " ".join(strip_controls(value).split())):
        return text
    raise _Mistake(f"{what} in quotes")


def read_sources(where: str, value: object, warnings: list[str]) -> tuple[Source, ...]:
    """The ``[[sources]]`` list; each bad entry is skipped with a warning of its own."""
    if not isinstance(value, list):
        warnings.append(
            f"{where}: 'sources' should be a list of tables, each [[sources]] with "
            'site = "URL" or feed = "URL" under it; ignoring it'
        )
        return ()
    found: list[Source] = []
    keys: set[str] = set()
    for index, entry in enumerate(value, 1):
        at = f"{where}: sources entry {index}"
        if not isinstance(entry, dict):
            warnings.append(f'{at} should be a table with site = "URL" or feed = "URL"; skipped')
            continue
        for key in entry:
            if key not in _SOURCE_KEYS:
                warnings.append(_unknown_key(at, key, _SOURCE_KEYS))
        try:
            source = _one_source(entry)
        except _Mistake as mistake:
            warnings.append(f"{at}: {mistake}; skipped")
            continue
        if source.key in keys:
            warnings.append(f"{at}: {source.url} is listed already; skipped")
            continue
        keys.add(source.key)
        found.append(source)
    return tuple(found)


def _one_source(entry: dict[str, Any]) -> Source:
    if ("site" in entry) == ("feed" in entry):
        raise _Mistake('it needs one of site = "URL" (a WordPress site) or feed = "URL"')
    try:
        name = _label(entry["name"], "a name") if "name" in entry else ""
        sections = _sections(entry["sections"]) if "sections" in entry else None
        group = _label(entry["group"], "a group name") if "group" in entry else ""
        if "site" in entry:
            source = Source.site(_site(entry["site"]), name=name, sections=sections)
        else:
            source = Source.feed(_feed_address(entry["feed"]), name=name, sections=sections)
    except _Mistake as mistake:
        raise _Mistake(f"a value should be {mistake}") from None
    return replace(source, group=group)


def _unknown_key(where: str, key: str, known: tuple[str, ...]) -> str:
    import difflib  # only for a mistake in the config: start-up need not load it

    guess = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean '{guess[0]}'?)" if guess else f"; known settings: {', '.join(known)}"
    return f"{where}: unknown setting '{key}'{hint}; ignoring it"


def _read_keys(where: str, value: object, warnings: list[str]) -> Mapping[str, str]:
    if not isinstance(value, dict):
        warnings.append(
            f"{where}: 'keys' should be a table of binding ids and keys, e.g. [keys] with "
            'app.quit = "q,ctrl+q" under it; ignoring it'
        )
        return _no_keys()
    keymap: dict[str, str] = {}
    # Binding ids are dotted ("nav.newer"), which TOML reads as nested tables: flatten them.
    flat: dict[str, object] = {}
    for name, keys in value.items():
        if isinstance(keys, dict):
            flat.update({f"{name}.{inner}": v for inner, v in keys.items()})
        else:
            flat[name] = keys
    for binding_id, keys in flat.items():
        if binding_id not in BINDING_IDS:
            warnings.append(_unknown_binding(where, binding_id))
            continue
        try:
            keymap[binding_id] = _key_list(keys)
        except _Mistake as mistake:
            warnings.append(f"{where}: 'keys.{binding_id}' should be {mistake}; ignoring it")
    return MappingProxyType(keymap)


def _unknown_binding(where: str, binding_id: str) -> str:
    import difflib

    guess = difflib.get_close_matches(binding_id, sorted(BINDING_IDS), n=1)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    return (
        f"{where}: [keys] has '{binding_id}', which is no command's id{hint}; the help screen "
        "(?) lists them. Ignoring it"
    )


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """Read ``path`` (default: the user's ``config.toml``); return the settings and warnings.

    Never raises for a mistake in the file: a missing file gives the defaults silently, a file
    that cannot be read or parsed gives the defaults and one warning, and each bad or unknown
    key is ignored with a warning of its own.
    """
    path = paths.config_file() if path is None else path
    where = paths.display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(), []
    except OSError as error:
        reason = error.strerror or str(error)
        return _set_aside(path), [
            f"{where}: cannot read the config file ({reason}); using the defaults"
        ]
    # Imported once there is a file to read: without one, start-up need not load the parser.
    import tomllib

    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _set_aside(path), [
            f"{where}: the config file is not UTF-8 text; save it as UTF-8. Using the defaults"
        ]
    except tomllib.TOMLDecodeError as error:
        return _set_aside(path), [
            f"{where}: not valid TOML: {error}. Fix that line (text values need quotes, e.g. "
            'theme = "ansi"), or delete the file to use the defaults. Using the defaults for now'
        ]
    warnings: list[str] = []
    settings: dict[str, Any] = {}
    for key, value in document.items():
        if key == "keys":
            settings["keys"] = _read_keys(where, value, warnings)
            continue
        if key == "sources":
            settings["sources"] = read_sources(where, value, warnings)
            continue
        if key not in _SETTINGS:
            warnings.append(_unknown_key(where, key, _KNOWN_KEYS))
            continue
        check, fallback = _SETTINGS[key]
        try:
            settings[key] = check(value)
        except _Mistake as mistake:
            warnings.append(f"{where}: '{key}' should be {mistake}; using {fallback}")
    if settings.get("sources") is not None and ("site" in settings or "feed" in settings):
        warnings.append(
            f"{where}: 'site' and 'feed' are not used when [[sources]] lists what to read; "
            "add that address to the list instead"
        )
    return Config(**settings, source=path), warnings


def _set_aside(path: Path) -> Config:
    """The defaults, for a file that is there but could not be used."""
    return Config(source=path, set_aside=True)


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string; controls (which TOML forbids raw) as escapes."""
    out = []
    for char in text:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _toml_string(key)


def config_as_toml(
    config: Config, *, remembered_theme: str | None = None, theme_problem: str | None = None
) -> str:
    """The settings in force, as a valid ``config.toml`` that would give the same settings.

    ``remembered_theme`` is the theme chosen in the reader (it wins over ``theme``);
    ``theme_problem`` says why the theme named cannot be used. Both become comments.
    """
    if config.source is None:
        origin = "the built-in defaults (no config file)"
    elif config.set_aside:
        origin = (
            f"the built-in defaults: {paths.display_path(config.source)} is there but could "
            "not be used (see the message before this)"
        )
    else:
        origin = paths.display_path(config.source)
    theme_notes = []
    if remembered_theme and remembered_theme != config.theme:
        theme_notes.append(
            f"# the reader starts with {_toml_string(remembered_theme)}, chosen in the reader "
            "and remembered in state.json; it wins over this line"
        )
    if theme_problem:
        theme_notes.append(f"# {theme_problem}")
    sections = ", ".join(_toml_string(name) for name in config.sections)
    if config.sources is None:
        where = [
            f"site = {_toml_string(config.site)}",
            f"feed = {_toml_string(config.feed)}"
            if config.feed
            else "# feed is unset: the site's own feed is read",
            "# no [[sources]] list: the site above (or its feed) is the one source",
        ]
    else:
        where = ["# site and feed are not used: [[sources]] below lists what to read"]
        if not config.sources:
            where.append("sources = []  # an empty list: nothing is read")
    lines = [
        f"# Settings in force, from {origin}.",
        *where,
        f"sections = [{sections}]",
        f"theme = {_toml_string(config.theme)}",
        *theme_notes,
        f"refresh_on_start = {'true' if config.refresh_on_start else 'false'}",
        f"refresh_interval_minutes = {config.refresh_interval_minutes}",
        f"images = {_toml_string(config.images)}",
        f"image_cache_mb = {config.image_cache_mb}",
        "",
        "[keys]",
    ]
    if not config.keys:
        lines.append("# no keys changed: the defaults are listed on the help screen (?)")
    lines.extend(f"{_toml_key(key)} = {_toml_string(keys)}" for key, keys in config.keys.items())
    for source in config.sources or ():
        lines += ["", "[[sources]]", *source_lines(source)]
    return "\n".join(lines) + "\n"


def source_lines(source: Source) -> list[str]:
    """The lines of one ``[[sources]]`` table (without its header)."""
    kind = "site" if source.is_site else "feed"
    lines = [f"{kind} = {_toml_string(source.url)}"]
    if source.name:
        lines.append(f"name = {_toml_string(source.name)}")
    if source.sections is not None:
        lines.append(f"sections = [{', '.join(_toml_string(n) for n in source.sections)}]")
    if source.group:
        lines.append(f"group = {_toml_string(source.group)}")
    return lines


def _state_file(directory: str | Path | None) -> Path:
    return paths.data_dir(directory) / STATE_FILE_NAME


def load_state(directory: str | Path | None = None) -> dict[str, str]:
    """The remembered UI state (``state.json`` in the data folder); empty when none or damaged."""
    try:
        document = json.loads(_state_file(directory).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(document, dict):
        return {}
    return {key: value for key, value in document.items() if isinstance(value, str)}


def save_state(key: str, value: str, directory: str | Path | None = None) -> bool:
    """Remember ``key = value`` in ``state.json``; False (and nothing changed) when it can't.

    The file is replaced atomically (a temporary file in the same folder, then ``os.replace``),
    so a crash or a second reader instance never leaves half a file behind.
    """
    state = load_state(directory)
    state[key] = value
    target = _state_file(directory)
    try:
        paths.ensure_dir(target.parent)
        handle, temporary = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=target.parent)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(state, stream, ensure_ascii=False, indent=2, sort_keys=True)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


def apply_state(config: Config, state: Mapping[str, str]) -> Config:
    """``config`` with the remembered UI choices (the theme) put over it."""
    theme = state.get(THEME_STATE_KEY, "").strip()
    return replace(config, theme=theme) if theme else config
