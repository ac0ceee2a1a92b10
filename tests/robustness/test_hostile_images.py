"""Every kind of bad image at once, in a fresh process: each refused, memory under 200 MB."""

from __future__ import annotations

import json
import subprocess
import sys

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
import asyncio, json, resource, sys
from reader.core.image_decode import ImageRefused
from reader.core.image_loader import ImageLoader

async def main(urls):
    loader = ImageLoader()
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

outcome = asyncio.run(main(sys.argv[1:]))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"outcome": outcome, "peak_mb": peak}))
"""


def test_bad_images_are_refused_and_memory_stays_under_200_mb(
    picture_server: PictureServer,
) -> None:
    urls = [picture_server.url(path) for path in (*_BAD, *_GOOD)]
    run = subprocess.run(
        [sys.executable, "-c", _PROGRAM, *urls], capture_output=True, text=True, timeout=240
    )
    assert run.returncode == 0, run.stderr
    # Nothing on stderr: no Pillow warning or traceback would reach a terminal.
    assert run.stderr == ""
    report = json.loads(run.stdout)
    outcome = report["outcome"]
    for path in _BAD:
        assert outcome[picture_server.url(path)].startswith("refused: "), path
    for path in _GOOD:
        assert not outcome[picture_server.url(path)].startswith("refused"), path
    assert report["peak_mb"] < 200, report
