"""Batching across requests for ``convguard serve``: while the model scores one batch, new
requests queue, and the next batch takes up to ``max_batch`` conversations from the queue in one
batched call on one inference thread (see :mod:`convguard.serve`)."""

from __future__ import annotations

import asyncio
import logging
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger("convguard.serve")


class Busy(Exception):
    pass


class Batcher:
    """Merges concurrent requests into batched :meth:`Guard` calls on one inference thread."""

    def __init__(self, guard, max_batch: int = 32, wait_s: float = 0.002, max_pending: int = 4096):
        self.guard, self.max_batch, self.wait_s, self.max_pending = guard, max(1, max_batch), wait_s, max_pending
        self._jobs: list[tuple[list, list, asyncio.Future]] = []
        self._rows = 0
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="convguard-infer")
        self.stats = {"batches": 0, "rows": 0, "largest": 0}

    async def submit(self, convs: list, locales: list) -> list:
        if not convs:
            return []
        if self._rows + len(convs) > self.max_pending:
            raise Busy()
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._run())
        fut = loop.create_future()
        self._jobs.append((convs, locales, fut))
        self._rows += len(convs)
        self._wake.set()
        return await fut

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            if not self._jobs:
                continue
            if self.wait_s and self._rows < self.max_batch:  # the model was idle: let a batch form
                await asyncio.sleep(self.wait_s)
            take, n = [], 0
            while self._jobs and (not take or n + len(self._jobs[0][0]) <= self.max_batch):
                job = self._jobs.pop(0)
                take.append(job)
                n += len(job[0])
            self._rows -= n
            results = await loop.run_in_executor(self._pool, self._score, take)
            for (_, _, fut), res in zip(take, results):
                if fut.done():  # the client went away
                    continue
                if isinstance(res, BaseException):
                    fut.set_exception(res)
                else:
                    fut.set_result(res)
            if self._jobs:
                self._wake.set()

    def _decide(self, convs: list, locales: list) -> list:
        out: list = [None] * len(convs)
        groups: dict[Any, list[int]] = {}
        for i, loc in enumerate(locales):
            groups.setdefault(loc, []).append(i)
        for loc, idx in groups.items():  # the locale only picks the crisis message
            for i, d in zip(idx, self.guard._decide([convs[i] for i in idx], loc)):
                out[i] = d
        return out

    def _score(self, jobs: list) -> list:
        self.stats["batches"] += 1
        n = sum(len(j[0]) for j in jobs)
        self.stats["rows"] += n
        self.stats["largest"] = max(self.stats["largest"], n)
        try:
            flat = self._decide([c for j in jobs for c in j[0]], [loc for j in jobs for loc in j[1]])
        except Exception:  # noqa: BLE001 - find the request that fails; the others still get answers
            out = []
            for convs, locales, _ in jobs:
                try:
                    out.append(self._decide(convs, locales))
                except Exception as e:  # noqa: BLE001
                    log.error("scoring failed:\n%s", traceback.format_exc())
                    out.append(e)
            return out
        out, k = [], 0
        for convs, _, _ in jobs:
            out.append(flat[k: k + len(convs)])
            k += len(convs)
        return out
