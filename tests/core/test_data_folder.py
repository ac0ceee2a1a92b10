"""A data folder that cannot be one is named for what it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.store import Store, StoreError


def test_a_data_folder_that_is_a_file_is_called_a_file(tmp_path: Path) -> None:
    # mkdir's own reason, "File exists", reads as if the folder were there and fine.
    taken = tmp_path / "afile"
    taken.write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match=r"afile is a file, not a folder"):
        Store.open_in(taken)
    assert taken.read_text(encoding="utf-8") == "not a folder"
