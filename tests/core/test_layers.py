"""The layers hold: core imports neither textual nor rich; render never imports textual.

The sample site (data and a loopback server) imports neither; the servers and the command line
import Textual only when a reader is actually drawn, so headless commands start quickly.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import reader

ROOT = Path(reader.__file__).parent


def _modules(package: str) -> list[str]:
    path = ROOT / package.split(".", 1)[1].replace(".", "/")
    return [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(path)])]


def _imported(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("module", _modules("reader.core"))
def test_core_imports_neither_textual_nor_rich(module: str) -> None:
    loaded = _imported(module)
    assert "textual" not in loaded
    assert "rich" not in loaded


@pytest.mark.parametrize("module", _modules("reader.render"))
def test_render_never_imports_textual(module: str) -> None:
    assert "textual" not in _imported(module)


@pytest.mark.parametrize("module", _modules("reader.sample"))
def test_the_sample_site_imports_neither_textual_nor_rich(module: str) -> None:
    loaded = _imported(module)
    assert "textual" not in loaded
    assert "rich" not in loaded


@pytest.mark.parametrize(
    "module", [*_modules("reader.serve"), "reader.cli", "reader.bookmarks_cli"]
)
def test_servers_and_the_command_line_import_textual_only_to_draw(module: str) -> None:
    assert "textual" not in _imported(module)


# Each command runs in one process, one after another, as a script or cron would run them.
_HEADLESS = [
    ["sync"],
    ["list"],
    ["list", "--json"],
    ["show", "1"],
    ["bookmarks", "add", "1"],
    ["bookmarks", "list"],
    ["bookmarks", "list", "--json"],
    ["bookmarks", "export", "--format", "json", "-o", "{tmp}/bookmarks.json"],
    ["bookmarks", "export", "--format", "md", "-o", "{tmp}/bookmarks.md"],
    ["bookmarks", "export", "--format", "html", "-o", "{tmp}/bookmarks.html"],
    ["bookmarks", "remove", "1"],
    ["bookmarks", "import", "{tmp}/bookmarks.json"],
    ["config", "path"],
    ["config", "show"],
    ["serve", "ssh", "--help"],
    ["serve", "web", "--help"],
    ["--help"],
]

_RUN_EACH = """
import json, sys
from reader.cli import main
base, commands = json.loads(sys.argv[1]), json.loads(sys.argv[2])
loaded_textual, failed = [], []
for words in commands:
    try:
        status = main([*base, *words])
    except SystemExit as leaving:  # --help
        status = leaving.code
    if status not in (0, None):
        failed.append([words, status])
    if "textual" in sys.modules:
        loaded_textual.append(words)
        break
print(json.dumps({"textual": loaded_textual, "failed": failed}))
"""


def test_headless_commands_do_not_import_textual(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>One</title><link>https://e.org/1/</link>"
        "<description>Kept for later.</description></item></channel></rss>"
    )
    base = ["--feed", str(feed), "--data-dir", str(tmp_path / "data")]
    commands = [[w.format(tmp=tmp_path) for w in words] for words in _HEADLESS]
    environment = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run(
        [sys.executable, "-c", _RUN_EACH, json.dumps(base), json.dumps(commands)],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"textual": [], "failed": []}, out.stderr
    assert (tmp_path / "bookmarks.md").read_text(encoding="utf-8").startswith("# Bookmarks (1)")
