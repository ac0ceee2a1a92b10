"""The boot that runs a module of this reader in a process of its own: which folders its
path holds, and in what order. Real processes; ``-S`` keeps the venv's own ``.pth`` (an
editable install names this checkout) out, so the boot alone decides."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from reader.core.own_python import ROOT, module_command

pytestmark = pytest.mark.timeout(60)


def _child_path(tmp_path: Path, *before: Path) -> tuple[list[str], str]:
    """The child's ``sys.path`` and its stdlib folder, ``before`` given on PYTHONPATH."""
    shows = tmp_path / "shows"
    shows.mkdir()
    (shows / "show_path.py").write_text(
        "import json, os, sys\nprint(json.dumps([sys.path, os.path.dirname(os.__file__)]))\n"
    )
    command = module_command("show_path")
    command.insert(1, "-S")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, [*before, shows]))}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    path, stdlib = json.loads(done.stdout)
    return path, stdlib


def test_a_symlink_to_this_folder_on_the_path_is_this_folder(tmp_path: Path) -> None:
    # A symlinked venv or checkout: the path names the link, ROOT the folder it leads to.
    link = tmp_path / "link"
    link.symlink_to(ROOT, target_is_directory=True)
    path, _ = _child_path(tmp_path, link)
    assert str(link) in path
    assert ROOT not in path


def test_this_folder_goes_after_the_stdlib(tmp_path: Path) -> None:
    path, stdlib = _child_path(tmp_path)
    assert path.count(ROOT) == 1
    resolved = [os.path.realpath(entry) for entry in path]
    assert resolved.index(os.path.realpath(stdlib)) < path.index(ROOT)
