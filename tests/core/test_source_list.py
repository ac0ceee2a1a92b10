"""The [[sources]] list written to config.toml stays a file people can read and edit."""

from __future__ import annotations

from pathlib import Path

from reader.core.config import Config
from reader.core.source import Source
from reader.core.source_list import add_sources


def test_added_tables_are_spaced_apart_and_the_file_ends_with_a_newline(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my reading\n[[sources]]\nsite = "https://one.example/"\n', encoding="utf-8")
    config = Config(source=path)
    add_sources(path, config, [Source.site("https://two.example/")])
    add_sources(path, config, [Source.feed("https://three.example/rss", name="three")])
    assert path.read_text(encoding="utf-8") == (
        "# my reading\n"
        "[[sources]]\n"
        'site = "https://one.example/"\n'
        "\n"
        "[[sources]]\n"
        'site = "https://two.example/"\n'
        "\n"
        "[[sources]]\n"
        'feed = "https://three.example/rss"\n'
        'name = "three"\n'
    )
