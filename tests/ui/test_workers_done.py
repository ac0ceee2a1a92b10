"""The tests' wait for workers (tests/support/pilot_steps.workers_done) holds when an exclusive
worker is replaced while it is waited for: CI failed once on Textual's own wait, which raises
WorkerCancelled then (stop 26, test_busy_store, the counts worker)."""

from __future__ import annotations

import asyncio

import pytest
from textual import work
from textual.app import App
from textual.worker import WorkerFailed

from tests.support.pilot_steps import workers_done


class Replaced(App[None]):
    """Starts an exclusive worker, then a second of its group once the first is running."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.started = asyncio.Event()
        self.finished: list[int] = []
        self.fail = fail

    @work(exclusive=True, group="counts", exit_on_error=False)
    async def count(self, turn: int) -> None:
        self.started.set()
        if turn == 1:
            await asyncio.Event().wait()  # held until the second replaces it
        if self.fail:
            raise ValueError("the second worker failed")
        self.finished.append(turn)


async def _replace_while_waited(app: Replaced) -> None:
    app.count(1)

    async def second() -> None:
        await app.started.wait()
        app.count(2)

    replacing = asyncio.create_task(second())
    await workers_done(app)
    await replacing
    await workers_done(app)


async def test_a_replaced_worker_counts_as_done_and_its_successor_is_waited_for() -> None:
    app = Replaced()
    async with app.run_test():
        await _replace_while_waited(app)
        assert app.finished == [2]


async def test_a_worker_that_fails_while_waited_for_still_fails_the_wait() -> None:
    app = Replaced(fail=True)
    async with app.run_test():
        app.count(2)
        with pytest.raises(WorkerFailed):
            await workers_done(app)
