"""An HTML table gathered cell by cell, then drawn as a ``rich.table.Table``."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich import box
from rich.style import Style
from rich.table import Table
from rich.text import Text

# A row wider than this cannot be read at 80 columns anyway; the cells past it are folded
# into the last one so their text survives. It also bounds what a hostile colspan can cost.
MOST_COLUMNS = 24


@dataclass
class TableDraft:
    """The rows of a table while its cells are still being read."""

    rows: list[list[Text]] = field(default_factory=list)
    header_rows: int = 0
    """How many rows at the top are headers (a ``thead``, or a first row of ``th`` only)."""
    caption: Text | None = None
    in_head: bool = False
    """True while reading a ``thead``."""
    row_is_header: bool = True
    """True while every cell of the current row so far is a ``th``."""

    def start_row(self) -> None:
        """Begin a ``tr``."""
        self.rows.append([])
        self.row_is_header = True

    def add_cell(self, cell: Text, header: bool, colspan: int) -> None:
        """Add a finished ``td`` or ``th`` to the current row."""
        if not self.rows:
            self.start_row()
        row = self.rows[-1]
        row.append(cell)
        # A spanned cell keeps its place in the grid with empty neighbours.
        row.extend(Text() for _ in range(min(colspan, MOST_COLUMNS) - 1))
        self.row_is_header = self.row_is_header and header

    def end_row(self) -> None:
        """Finish a ``tr``: count it as a header when it sits in the header area."""
        if not self.rows:
            return
        at_top = len(self.rows) == self.header_rows + 1
        if at_top and (self.in_head or (self.row_is_header and self.rows[-1])):
            self.header_rows += 1

    def build(self, header_style: Style, caption_style: Style) -> Table | None:
        """The finished table, or None when it has no cells."""
        rows = [_fit(row) for row in self.rows if row]
        if not rows:
            return None
        width = max(len(row) for row in rows)
        header_rows = min(self.header_rows, len(rows))
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            show_header=header_rows > 0,
            header_style=header_style,
            title=self.caption if self.caption and self.caption.plain.strip() else None,
            title_style=caption_style,
            expand=False,
        )
        header = rows[0] if header_rows else []
        for index in range(width):
            heading = header[index] if index < len(header) else Text()
            table.add_column(heading, overflow="fold")
        for position, row in enumerate(rows[1:] if header_rows else rows, start=1):
            padded = row + [Text() for _ in range(width - len(row))]
            # Rich shows one header row; further header rows keep the header's look.
            extra_header = header_rows > 1 and position < header_rows
            table.add_row(*padded, style=header_style if extra_header else None)
        return table


def _fit(row: list[Text]) -> list[Text]:
    """Fold the cells past :data:`MOST_COLUMNS` into the last one."""
    if len(row) <= MOST_COLUMNS:
        return row
    cells = row[:MOST_COLUMNS]
    last = cells[-1] = cells[-1].copy()
    for extra in row[MOST_COLUMNS:]:
        if extra.plain.strip():
            last.append(" ")
            last.append_text(extra)
    return cells
