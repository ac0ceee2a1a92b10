"""An address too long for its line is cut in its middle, in cells, never past its room."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.render.address_line import AddressLine, middle_cut

URL = "https://news.example.edu/2026/09/22/kidney-cells-memory-of-injury-mapped/"


def test_an_address_that_fits_is_whole_and_one_that_does_not_keeps_its_site_and_end() -> None:
    assert middle_cut(URL, len(URL)) == URL
    cut = middle_cut(URL, 50)
    assert cut.startswith("https://news.example.edu/…") and URL.endswith(cut.split("…")[1])
    assert len(cut) == 50


@given(st.text(alphabet="ab漢/:é\u0301", min_size=0, max_size=60), st.integers(0, 70))
def test_the_cut_never_takes_more_cells_than_its_room(address: str, room: int) -> None:
    cut = middle_cut(address, room)
    assert cell_len(cut) <= room
    if cell_len(address) <= room:
        assert cut == address


def test_a_line_too_narrow_for_a_useful_cut_ends_in_an_ellipsis() -> None:
    line = AddressLine("Copied ", URL)
    assert line.fitted(200).plain == "Copied " + URL
    assert line.fitted(15).plain.endswith("…") and cell_len(line.fitted(15).plain) == 15
