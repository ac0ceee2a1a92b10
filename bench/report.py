"""Where the results go: a table on stdout, JSON in ``bench/results/``, the table in the README."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from bench.context import BENCH_DIR
from bench.figures import Figure, markdown_table
from bench.newsboat import newsboat_version

RESULTS_DIR = BENCH_DIR / "results"
README = BENCH_DIR / "README.md"
START_MARK = "<!-- results:start -->"
END_MARK = "<!-- results:end -->"


def _output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)
    except OSError:
        return ""
    return (done.stdout or done.stderr).strip()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: how busy the shared cores were."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    from importlib.metadata import version

    memory = next(
        (
            line.split()[1]
            for line in _output(["free", "-h"]).splitlines()
            if line.startswith("Mem:")
        ),
        "?",
    )
    return {
        "nproc": _output(["nproc"]),
        "memory": memory,
        "cpu": _cpu_model(),
        "python": _output([sys.executable, "-V"]),
        "textual": version("textual"),
        "rich": version("rich"),
        "newsboat": newsboat_version(),
        "system": platform.platform(),
    }


def describe(info: dict[str, str]) -> str:
    """The machine in one line."""
    return (
        f"{info['nproc']} cores ({info['cpu']}), {info['memory']} memory, {info['python']}, "
        f"Textual {info['textual']}, Rich {info['rich']}, {info['newsboat']}"
    )


def write_json(
    figures: Sequence[Figure], info: dict[str, str], settings: dict[str, object], when: datetime
) -> Path:
    """Save everything measured; returns the file."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{when:%Y-%m-%d}.json"
    data = {
        "date": when.isoformat(timespec="seconds"),
        "machine": info,
        "settings": settings,
        "figures": [{**asdict(figure), "ratio": figure.ratio} for figure in figures],
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def update_readme(
    figures: Sequence[Figure], info: dict[str, str], settings: dict[str, object], when: datetime
) -> bool:
    """Put the table between the README's result marks; False when the marks are missing."""
    text = README.read_text(encoding="utf-8")
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        return False
    notes = [f"- {figure.name}: {figure.note}" for figure in figures if figure.note]
    block = "\n".join(
        [
            START_MARK,
            "",
            f"Measured {when:%Y-%m-%d} on {describe(info)}; {settings['runs']} runs per figure "
            f"(median){' (--quick)' if settings.get('quick') else ''}"
            f"{' (--smoke: smaller data, values not comparable)' if settings.get('smoke') else ''}"
            f"; load average (1, 5, 15 min) {settings.get('load', 'not noted')}.",
            "",
            markdown_table(figures),
            "",
            "Notes from the run:",
            "",
            *notes,
            "",
            END_MARK,
        ]
    )
    README.write_text(text[:start] + block + text[end + len(END_MARK) :], encoding="utf-8")
    return True
