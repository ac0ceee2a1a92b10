"""One measured figure: the reader's value, the baseline's in the same run, and the target."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Figure:
    """A row of the results table."""

    key: str
    """A stable name for the JSON, e.g. ``startup_1000``."""
    name: str
    """What was measured, as the table says it."""
    unit: str
    """``s``, ``ms``, ``MB``, ``B`` (bytes) or ``rows``."""
    reader: float | None
    baseline: float | None = None
    baseline_name: str = ""
    """What the baseline was, e.g. "minimal Textual list app"."""
    target: str = ""
    met: bool | None = None
    """None when there is no target, or it could not be judged."""
    note: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)
    """Every run, per side, for the JSON."""

    @property
    def measured(self) -> bool:
        """The reader's value is there, and the baseline's too when the row has one.

        Whether the target is met does not count: a slow figure is measured all the same.
        """
        return self.reader is not None and (not self.baseline_name or self.baseline is not None)

    @property
    def ratio(self) -> float | None:
        """Reader over baseline."""
        if self.reader is None or not self.baseline:
            return None
        return self.reader / self.baseline


def unmeasured(figures: Sequence[Figure], failed_groups: Sequence[str]) -> list[str]:
    """What could not be measured: every group that broke, every row without its values.

    The runner fails exactly when this is not empty; slow figures never fail it.
    """
    problems = [f"group {group!r} broke (its traceback is above)" for group in failed_groups]
    for figure in figures:
        if figure.reader is None:
            problems.append(f"{figure.name}: no value for the reader")
        elif not figure.measured:
            problems.append(f"{figure.name}: no value for the baseline ({figure.baseline_name})")
    return problems


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values."""
    return statistics.median(values) if values else None


def show(value: float | None, unit: str) -> str:
    """A value for the table: a few significant digits with its unit."""
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "B":
        return f"{value:.0f} B"
    return f"{value:g} {unit}".strip()


def show_ratio(ratio: float | None) -> str:
    """A ratio for the table."""
    if ratio is None:
        return "—"
    return f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.0f}x"


def show_met(met: bool | None) -> str:
    """yes, NO, or a dash when not judged."""
    return "—" if met is None else ("yes" if met else "NO")


def table_rows(figures: Sequence[Figure]) -> list[list[str]]:
    """The table as cells, header first."""
    rows = [["figure", "reader", "baseline", "ratio", "target", "met?"]]
    for figure in figures:
        rows.append(
            [
                figure.name,
                show(figure.reader, figure.unit),
                show(figure.baseline, figure.unit),
                show_ratio(figure.ratio),
                figure.target,
                show_met(figure.met),
            ]
        )
    return rows


def plain_table(figures: Sequence[Figure]) -> str:
    """The table for a terminal, columns aligned."""
    rows = table_rows(figures)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(figures: Sequence[Figure]) -> str:
    """The table in Markdown, for the README."""
    rows = table_rows(figures)
    lines = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    lines.insert(1, "|" + "---|" * len(rows[0]))
    return "\n".join(lines)
