"""Watching: the paths that changed under some folders, in batches, as soon as a save settles."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from watchfiles import awatch

# An editor's save is a burst of events (truncate and write, or write a temporary file and
# rename it): a burst ends after this many quiet milliseconds. It is most of the time between
# a save and the updated page, against a budget of 300 ms (issue 6).
QUIET_MS = 20
# Under a stream of changes (a checkout), hand over what has been seen at least this often.
BATCH_MS = 400


async def watch(
    folders: Sequence[Path],
    on_change: Callable[[set[Path]], Awaitable[None]],
    stop: asyncio.Event,
) -> None:
    """Call ``on_change`` with each batch of changed paths (absolute) until ``stop`` is set."""
    roots = [folder.resolve() for folder in folders if folder.is_dir()]
    if not roots:
        return
    async for changes in awatch(*roots, step=QUIET_MS, debounce=BATCH_MS, stop_event=stop):
        await on_change({Path(path) for _, path in changes})
