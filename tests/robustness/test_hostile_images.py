"""Every kind of bad image at once, in a fresh process: each refused, memory under 200 MB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.pictures import PictureServer, picture_server

__all__ = ["picture_server"]

_BAD = [
    "/corrupt.png",
    "/huge.png",
    "/huge-unsized.png",
    "/bomb.png",
    "/claims-25mp.png",
    "/picture.svg",
    "/html-as-png",
    "/missing.png",
    "/to-file",
]
_GOOD = ["/photo.jpg", "/big.png", "/animated.gif", "/png-as-html"]

_PROGRAM = """
import asyncio, json, sys
from reader.core.image_decode import ImageRefused
from reader.core.image_loader import ImageLoader

async def main(urls):
    loader = ImageLoader(sources=urls)
    outcome = {}
    try:
        for url in urls:
            try:
                picture = await loader.picture(url, 116, 80)
                outcome[url] = f"{picture.width}x{picture.height}"
            except ImageRefused as refused:
                outcome[url] = "refused: " + str(refused)
    finally:
        await loader.aclose()
    return outcome

print(json.dumps(asyncio.run(main(sys.argv[1:]))))
"""

# The check runs in a grandchild: Linux carries a parent's peak RSS into its child's ru_maxrss
# across exec, so a child of a large pytest process would report pytest's peak, not its own.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_bad_images_are_refused_and_memory_stays_under_200_mb(
    picture_server: PictureServer, tmp_path: Path
) -> None:
    urls = [picture_server.url(path) for path in (*_BAD, *_GOOD)]
    peak = tmp_path / "peak.txt"
    run = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, str(peak), "-c", _PROGRAM, *urls],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr
    # Nothing on stderr: no Pillow warning or traceback would reach a terminal.
    assert run.stderr == ""
    outcome = json.loads(run.stdout)
    for path in _BAD:
        assert outcome[picture_server.url(path)].startswith("refused: "), path
    for path in _GOOD:
        assert not outcome[picture_server.url(path)].startswith("refused"), path
    peak_kib = int(peak.read_text())  # Linux counts ru_maxrss in KiB
    assert peak_kib < 200 * 1024, f"peak {peak_kib // 1024} MB"
