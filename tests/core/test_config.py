"""The config file, the remembered UI state and the reader's folders."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import config as config_module
from reader.core import paths
from reader.core.binding_ids import BINDING_IDS
from reader.core.config import (
    DEFAULT_SECTIONS,
    DEFAULT_SITE,
    Config,
    apply_state,
    config_as_toml,
    load_config,
    load_state,
    save_state,
)
from reader.core.text import is_safe


@pytest.fixture(autouse=True)
def _private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every folder into the test's own temporary folder."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "config"))


def write(folder: Path, text: str) -> Path:
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# defaults and a good file


def test_a_missing_file_gives_the_defaults_and_no_warning(tmp_path: Path) -> None:
    config, warnings = load_config(tmp_path / "nowhere" / "config.toml")
    assert warnings == []
    assert config == Config()
    assert config.source is None
    assert config.site == DEFAULT_SITE == "https://stemcell.keck.usc.edu/"
    assert config.sections == DEFAULT_SECTIONS
    assert config.theme == "institute-dark"
    assert dict(config.keys) == {}
    assert config.refresh_on_start is True
    assert config.refresh_interval_minutes == 30


def test_the_default_path_is_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    write(tmp_path / "config", 'theme = "ansi"\n')
    config, warnings = load_config()
    assert warnings == []
    assert config.theme == "ansi"
    assert config.source == tmp_path / "config" / "config.toml"


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
site = "https://example.org/news/"
feed = "https://example.org/news/feed/"
sections = ["Events", "News"]
theme = "high-contrast"
refresh_on_start = false
refresh_interval_minutes = 0

[keys]
"app.quit" = "q, ctrl+q"
article.next_link = "n"
""",
    )
    config, warnings = load_config(path)
    assert warnings == []
    assert config == Config(
        site="https://example.org/news/",
        feed="https://example.org/news/feed/",
        sections=("Events", "News"),
        theme="high-contrast",
        keys={"app.quit": "q,ctrl+q", "article.next_link": "n"},
        refresh_on_start=False,
        refresh_interval_minutes=0,
    )
    assert config.source == path


def test_the_config_is_frozen_and_its_keys_cannot_be_changed(tmp_path: Path) -> None:
    config, _ = load_config(write(tmp_path, '[keys]\nquit = "q"\n'))
    with pytest.raises(AttributeError):
        config.theme = "ansi"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.keys["quit"] = "x"  # type: ignore[index]
    assert hash(config) == hash(Config(keys={"other": "y"}))


def test_the_example_file_and_the_documented_example_load_cleanly(tmp_path: Path) -> None:
    example = Path(config_module.__file__).with_name("config_example.toml")
    config, warnings = load_config(example)
    assert warnings == []
    assert config == Config()
    documented = re.search(r"```toml\n(.*?)```", config_module.__doc__ or "", re.DOTALL)
    assert documented is not None
    config, warnings = load_config(write(tmp_path, documented.group(1)))
    assert warnings == []
    assert config.theme == "ansi"
    assert config.refresh_interval_minutes == 60


# mistakes


def test_bad_toml_gives_the_defaults_and_one_warning_naming_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'site = "https://example.org/"\ntheme = institute-light\n')
    config, warnings = load_config(path)
    assert config == Config()
    assert len(warnings) == 1
    assert "config.toml" in warnings[0]
    assert "line 2" in warnings[0]
    assert "quotes" in warnings[0]  # the likely fix
    assert "defaults" in warnings[0]


def test_a_wrong_type_is_ignored_with_a_warning_saying_what_it_should_be(tmp_path: Path) -> None:
    path = write(tmp_path, 'refresh_interval_minutes = "30"\ntheme = "ansi"\n')
    config, warnings = load_config(path)
    assert config.refresh_interval_minutes == 30
    assert config.theme == "ansi"  # the good key still counts
    assert warnings == [
        f"{paths.display_path(path)}: 'refresh_interval_minutes' should be a whole number of "
        "minutes, e.g. 30 (0 never refreshes); using 30"
    ]


@pytest.mark.parametrize(
    ("line", "key", "expected_words"),
    [
        ("site = 42", "site", "address of a WordPress site"),
        ('site = "ftp://example.org/"', "site", "address of a WordPress site"),
        ('site = "not a url"', "site", "address of a WordPress site"),
        ("feed = true", "feed", "RSS or Atom feed"),
        ('sections = "News"', "sections", "list of category names"),
        ('sections = ["News", 3]', "sections", "list of category names"),
        ('sections = ["News", "  "]', "sections", "list of category names"),
        ("theme = 7", "theme", "theme name"),
        ('theme = ""', "theme", "theme name"),
        ('refresh_on_start = "yes"', "refresh_on_start", "true or false"),
        ("refresh_on_start = 1", "refresh_on_start", "true or false"),
        ("refresh_interval_minutes = 2.5", "refresh_interval_minutes", "whole number"),
        ("refresh_interval_minutes = -5", "refresh_interval_minutes", "whole number"),
        ("refresh_interval_minutes = true", "refresh_interval_minutes", "whole number"),
    ],
)
def test_each_setting_rejects_a_wrong_value(
    tmp_path: Path, line: str, key: str, expected_words: str
) -> None:
    config, warnings = load_config(write(tmp_path, line + "\n"))
    assert getattr(config, key) == getattr(Config(), key)
    assert len(warnings) == 1
    assert f"'{key}' should be" in warnings[0]
    assert expected_words in warnings[0]
    assert "config.toml" in warnings[0]


def test_an_unknown_key_is_ignored_with_a_suggestion(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path, 'thme = "ansi"\ncolour = "red"\n'))
    assert config.theme == "institute-dark"
    assert len(warnings) == 2
    assert "unknown setting 'thme'" in warnings[0]
    assert "did you mean 'theme'?" in warnings[0]
    assert "unknown setting 'colour'" in warnings[1]
    assert "known settings:" in warnings[1]


def test_bad_key_bindings_are_ignored_one_by_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[keys]\napp.quit = "q"\napp.help = 5\nhistory.back = ""\nlinks.open = "o,,x"\n',
    )
    config, warnings = load_config(path)
    assert dict(config.keys) == {"app.quit": "q"}
    assert len(warnings) == 3
    assert all("keys." in warning and "ignoring it" in warning for warning in warnings)
    config, warnings = load_config(write(tmp_path, 'keys = "q"\n'))
    assert dict(config.keys) == {}
    assert len(warnings) == 1
    assert "'keys' should be a table" in warnings[0]


def test_an_unknown_binding_id_is_named_with_a_guess(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path, '[keys]\nnav.newr = "N"\nzzz = "z"\n'))
    assert dict(config.keys) == {}
    assert len(warnings) == 2
    assert (
        "[keys] has 'nav.newr', which is no command's id (did you mean 'nav.newer'?)"
        in (warnings[0])
    )
    assert "'zzz'" in warnings[1] and "did you mean" not in warnings[1]
    assert all(w.endswith("Ignoring it") for w in warnings)


def test_a_file_set_aside_is_named_in_the_settings_shown(tmp_path: Path) -> None:
    path = write(tmp_path, "theme = ansi\n")
    config, warnings = load_config(path)
    assert config == Config() and config.set_aside and config.source == path
    assert len(warnings) == 1
    shown = config_as_toml(config)
    assert "no config file" not in shown
    assert "is there but could not be used" in shown.splitlines()[0]


def test_the_theme_shown_says_what_the_reader_starts_with() -> None:
    shown = config_as_toml(
        Config(theme="institute-dark"),
        remembered_theme="ansi",
        theme_problem="no theme is called 'ansi'; the reader uses institute-dark",
    )
    lines = shown.splitlines()
    at = lines.index('theme = "institute-dark"')
    assert lines[at + 1].startswith('# the reader starts with "ansi", chosen in the reader')
    assert lines[at + 2] == "# no theme is called 'ansi'; the reader uses institute-dark"
    tomllib.loads(shown)


def test_unreadable_files_give_the_defaults_and_a_warning(tmp_path: Path) -> None:
    (tmp_path / "folder.toml").mkdir()
    config, warnings = load_config(tmp_path / "folder.toml")
    assert config == Config() and config.set_aside
    assert len(warnings) == 1
    assert "cannot read" in warnings[0]
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('theme = "caf\xe9"\n'.encode("latin-1"))
    config, warnings = load_config(latin1)
    assert config == Config()
    assert len(warnings) == 1
    assert "UTF-8" in warnings[0]


def test_control_characters_in_values_are_removed(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "ansi\\u001b[2J"\nsections = ["Ne\\u009bws"]\n')
    config, warnings = load_config(path)
    assert warnings == []
    assert config.theme == "ansi[2J"
    assert config.sections == ("News",)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("abtheme_=[]\"'\n .,0123-{}#\\truefalsk"), max_size=80))
def test_load_config_never_raises(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    config, warnings = load_config(write(folder, text))
    assert isinstance(config, Config)
    assert all(isinstance(warning, str) for warning in warnings)


# showing the settings


def test_config_as_toml_shows_the_defaults_and_parses_back(tmp_path: Path) -> None:
    text = config_as_toml(Config())
    assert "built-in defaults" in text
    assert "feed is unset" in text
    config, warnings = load_config(write(tmp_path, text))
    assert warnings == []
    assert config == Config()


_PLAIN_TEXT = (
    st.text(
        # Text the config keeps as it is: no controls, which loading removes on purpose.
        alphabet=st.characters(blacklist_categories=("Cc", "Cs")).filter(is_safe),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(
    sections=st.lists(_PLAIN_TEXT, max_size=5),
    theme=_PLAIN_TEXT,
    keys=st.dictionaries(
        st.sampled_from(sorted(BINDING_IDS)), st.sampled_from(["q", "ctrl+q,f10", "question_mark"])
    ),
    refresh=st.booleans(),
    minutes=st.integers(min_value=0, max_value=10_000),
)
def test_config_as_toml_round_trips(
    tmp_path_factory: pytest.TempPathFactory,
    sections: list[str],
    theme: str,
    keys: dict[str, str],
    refresh: bool,
    minutes: int,
) -> None:
    original = Config(
        site='https://example.org/a"b\\c/',
        feed="https://example.org/feed/?x=1&y=2",
        sections=tuple(sections),
        theme=theme,
        keys=keys,
        refresh_on_start=refresh,
        refresh_interval_minutes=minutes,
    )
    text = config_as_toml(original)
    tomllib.loads(text)  # valid TOML, or this raises
    config, warnings = load_config(write(tmp_path_factory.mktemp("show"), text))
    assert warnings == []
    assert config == original


def test_config_as_toml_names_the_file_it_came_from(tmp_path: Path) -> None:
    config, _ = load_config(write(tmp_path, 'theme = "ansi"\n'))
    assert str(tmp_path) in config_as_toml(config) or "~/" in config_as_toml(config)


# remembered state


def test_state_round_trips_and_keeps_other_keys(tmp_path: Path) -> None:
    assert load_state() == {}
    assert save_state("theme", "ansi") is True
    assert save_state("sidebar", "wide") is True
    assert load_state() == {"theme": "ansi", "sidebar": "wide"}
    assert save_state("theme", "high-contrast")
    assert load_state() == {"theme": "high-contrast", "sidebar": "wide"}
    state_file = tmp_path / "data" / "state.json"
    assert json.loads(state_file.read_text(encoding="utf-8"))["theme"] == "high-contrast"
    # Nothing half-written is left behind.
    assert sorted(path.name for path in state_file.parent.iterdir()) == ["state.json"]


def test_state_honours_an_explicit_data_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    assert save_state("theme", "ansi", elsewhere)
    assert load_state(elsewhere) == {"theme": "ansi"}
    assert load_state() == {}


def test_a_failed_save_leaves_the_old_state_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert save_state("theme", "ansi")

    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert save_state("theme", "institute-light") is False
    monkeypatch.undo()
    assert load_state(tmp_path / "data") == {"theme": "ansi"}
    assert [path.name for path in (tmp_path / "data").iterdir()] == ["state.json"]


def test_saving_where_no_folder_can_be_made_returns_false(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert save_state("theme", "ansi", blocker / "data") is False


def test_readers_never_see_half_a_state_file(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    save_state("theme", "x" * 4000, folder)
    seen: list[dict[str, str]] = []
    done = threading.Event()

    def read_while_writing() -> None:
        while not done.is_set():
            seen.append(load_state(folder))

    reader = threading.Thread(target=read_while_writing)
    reader.start()
    try:
        for number in range(30):
            assert save_state("theme", str(number) * 4000, folder)
    finally:
        done.set()
        reader.join()
    # load_state returns {} for a damaged file: a torn write would show up as one.
    assert seen
    assert all(state.get("theme") for state in seen)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"theme": 3, "ok": "yes"}', "\xff"])
def test_damaged_state_reads_as_empty_or_keeps_only_text(tmp_path: Path, content: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "state.json").write_bytes(content.encode("latin-1"))
    assert load_state() == ({"ok": "yes"} if "ok" in content else {})


def test_the_theme_chosen_in_the_ui_wins_over_the_config() -> None:
    config = Config(theme="institute-light")
    assert apply_state(config, {}).theme == "institute-light"
    assert apply_state(config, {"theme": "  "}).theme == "institute-light"
    assert apply_state(config, {"theme": "ansi"}).theme == "ansi"
    assert apply_state(config, {"theme": "ansi"}).site == config.site


# folders


def test_folders_follow_the_environment(tmp_path: Path) -> None:
    assert paths.data_dir() == tmp_path / "data"
    assert paths.config_dir() == tmp_path / "config"
    assert paths.config_file() == tmp_path / "config" / "config.toml"
    assert paths.user_themes_dir() == tmp_path / "config" / "themes"
    assert paths.cache_dir() == tmp_path / "data" / "cache"
    assert paths.data_dir(tmp_path / "flag") == tmp_path / "flag"
    assert paths.cache_dir(tmp_path / "flag") == tmp_path / "flag" / "cache"
    # Computing a path creates nothing.
    assert not (tmp_path / "data").exists()
    assert not (tmp_path / "config").exists()


def test_without_the_environment_the_platform_folders_are_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("READER_DATA_DIR")
    monkeypatch.setenv("READER_CONFIG_DIR", "")
    assert paths.data_dir() == Path(platformdirs.user_data_dir("reader"))
    assert paths.config_dir() == Path(platformdirs.user_config_dir("reader"))
    assert paths.cache_dir() == Path(platformdirs.user_cache_dir("reader"))
    assert paths.data_dir("~/x") == Path.home() / "x"


def test_ensure_dir_makes_a_private_folder(tmp_path: Path) -> None:
    folder = paths.ensure_dir(tmp_path / "a" / "b")
    assert folder.is_dir()
    assert folder.stat().st_mode & 0o077 == 0
    assert paths.ensure_dir(folder) == folder  # twice is fine


def test_display_path_shortens_the_home_folder() -> None:
    assert paths.display_path(Path.home() / "x" / "config.toml") == "~/x/config.toml"
    assert paths.display_path(Path("/etc/reader.toml")) == "/etc/reader.toml"


def test_the_config_modules_import_neither_textual_nor_rich() -> None:
    code = (
        "import sys, reader.core.config, reader.core.paths; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert result.stdout.strip() == "[]"


def test_platformdirs_loads_only_for_a_folder_that_is_not_given() -> None:
    # `reader sync --data-dir DIR` with READER_CONFIG_DIR set (cron) never needs it.
    code = (
        "import sys, reader.core.config, reader.core.paths as paths; "
        "paths.data_dir('/tmp/x'); paths.cache_dir('/tmp/x'); "
        "before = 'platformdirs' in sys.modules; paths.config_dir(); "
        "print(before, 'platformdirs' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("READER_CONFIG_DIR", "READER_DATA_DIR")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.split() == ["False", "True"]


def test_a_second_source_on_a_host_is_named_by_its_feeds_title_never_a_given_name() -> None:
    from reader.core.config import named
    from reader.core.source import Source

    news = Source.feed("http://127.0.0.1:9/news/feed/")
    events = Source.feed("http://127.0.0.1:9/events/feed/")
    made = Source.feed("http://127.0.0.1:9/videos/feed/", name="127.0.0.1:9-3")
    given = Source.feed("http://127.0.0.1:9/brain/feed/", name="mine")
    titles = {s.key: "Same\x1b[31m title" for s in (news, events, made, given)}
    assert [s.label for s in named([news, events, made, given])] == [
        "127.0.0.1:9",
        "127.0.0.1:9-2",
        "127.0.0.1:9-3",
        "mine",
    ]
    # The first keeps its host; the others take the title, told apart; "mine" stays.
    out = named([news, events, made, given], titles)
    assert [s.label for s in out] == ["127.0.0.1:9", "Same[31m title", "Same[31m title-2", "mine"]
    assert [s.also_called for s in out] == ["", "127.0.0.1:9-2", "127.0.0.1:9-3", ""]
    assert out[2].key == made.key and out[2].url == made.url
