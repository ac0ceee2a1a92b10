"""CIELAB and CIEDE2000, against published test data."""

from __future__ import annotations

import pytest

from reader.render.colour_difference import delta_e, lab

# Pairs of CIELAB colours and their CIEDE2000 difference, from the test data G. Sharma, W. Wu
# and E. N. Dalal published with their notes on the formula (2005): a blue pair, a grey
# against a near grey, the hue wrapping past 0 degrees, a green pair and two near blacks.
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
]


@pytest.mark.parametrize(("first", "second", "expected"), SHARMA)
def test_ciede2000_matches_the_published_differences(
    first: tuple[float, float, float], second: tuple[float, float, float], expected: float
) -> None:
    assert delta_e(first, second) == pytest.approx(expected, abs=1e-4)
    assert delta_e(second, first) == pytest.approx(expected, abs=1e-4)


def test_srgb_to_cielab() -> None:
    assert lab(255, 255, 255) == pytest.approx((100.0, 0.0, 0.0), abs=1e-3)
    assert lab(0, 0, 0) == pytest.approx((0.0, 0.0, 0.0), abs=1e-3)
    assert lab(255, 0, 0) == pytest.approx((53.24, 80.09, 67.20), abs=0.01)
    assert delta_e(lab(10, 120, 200), lab(10, 120, 200)) == 0.0
