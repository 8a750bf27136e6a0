"""Running the bench's asyncio clients from a test."""

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any


def in_own_loop[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: when the browser tests are in the same run,
    Playwright's sync API keeps an event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
