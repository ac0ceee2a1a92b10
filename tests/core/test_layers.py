"""The layers hold: core imports neither textual nor rich; render never imports textual."""

from __future__ import annotations

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


def test_headless_commands_do_not_import_textual(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>One</title><link>https://e.org/1/</link></item></channel></rss>"
    )
    data = tmp_path / "data"
    code = (
        "import sys\n"
        "from reader.cli import main\n"
        f"base = ['--feed', {str(feed)!r}, '--data-dir', {str(data)!r}]\n"
        "assert main([*base, 'sync']) == 0\n"
        "assert main([*base, 'list']) == 0\n"
        "assert main([*base, 'show', '1']) == 0\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout
