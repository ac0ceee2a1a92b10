"""The benchmark runner fails a run only for figures it could not measure, never slow ones."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.figures import Figure, unmeasured
from bench.run import GROUPS, PLANNED, exit_status, measure_groups


def _figure(
    name: str, reader: float | None, *, baseline: float | None = None, met: bool | None = None
) -> Figure:
    return Figure(
        key=name,
        name=name,
        unit="ms",
        reader=reader,
        baseline=baseline,
        baseline_name="a baseline" if baseline is not None or name.endswith("baselined") else "",
        met=met,
    )


def test_slow_figures_pass_the_run() -> None:
    figures = [
        _figure("slow", 900.0, met=False),
        _figure("slow and baselined", 900.0, baseline=10.0, met=False),
        _figure("for reference", 3.0),
    ]
    assert unmeasured(figures, []) == []
    assert exit_status(unmeasured(figures, [])) == 0


def test_a_figure_without_its_value_fails_the_run() -> None:
    problems = unmeasured([_figure("fine", 1.0, met=True), _figure("missing", None)], [])
    assert len(problems) == 1 and "missing" in problems[0]
    assert exit_status(problems) == 1


def test_a_missing_baseline_fails_the_run() -> None:
    problems = unmeasured([_figure("no newsboat, baselined", 1.0, met=True)], [])
    assert len(problems) == 1 and "baseline" in problems[0]
    assert exit_status(problems) == 1


def test_a_broken_group_fails_the_run_and_keeps_the_others_figures() -> None:
    said: list[str] = []

    def measure(group: str) -> list[Figure]:
        if group == "broken":
            raise RuntimeError("'A closer look' is not in the article pane")
        return [_figure(f"{group} figure", 2.0, met=False)]

    figures, failed = measure_groups(["first", "broken", "last"], measure, said.append)
    assert [f.name for f in figures] == ["first figure", "last figure"]
    assert failed == ["broken"]
    assert any("is not in the article pane" in line for line in said)
    problems = unmeasured(figures, failed)
    assert len(problems) == 1 and "broken" in problems[0]
    assert exit_status(problems) == 1


def test_the_many_sources_group_is_built_not_planned() -> None:
    assert "sources" in GROUPS
    assert "sources" not in PLANNED


def test_the_runner_exits_non_zero_exactly_when_a_figure_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import bench.run

    measured: dict[str, list[Figure]] = {}
    monkeypatch.setattr(bench.run, "_measure", lambda bench_, group: measured[group])
    monkeypatch.setattr(bench.run, "write_json", lambda *args: tmp_path / "results.json")
    monkeypatch.setattr(sys, "argv", ["bench.run", "--only", "startup,keys", "--no-readme"])

    measured.update(startup=[_figure("slow", 900.0, met=False)], keys=[_figure("fast", 1.0)])
    assert bench.run.main() == 0
    measured["keys"] = [_figure("lost", None)]
    assert bench.run.main() == 1
