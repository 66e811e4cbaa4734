"""The build's time: ``SOURCE_DATE_EPOCH``, else the last commit's, so that two builds are identical."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from build_tools.errors import BookError

ZIP_EPOCH_MIN = 315532800  # 1980-01-01: the earliest time a zip entry can carry


def source_date_epoch(root: Path) -> int:
    """``SOURCE_DATE_EPOCH``, else the last commit's time, else the newest source file's mtime."""
    if value := os.environ.get("SOURCE_DATE_EPOCH"):
        try:
            return int(value)
        except ValueError:
            raise BookError(f"SOURCE_DATE_EPOCH must be an integer, not {value!r}") from None
    try:
        found = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
        if found:
            return int(found)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    mtimes = [p.stat().st_mtime for p in root.rglob("*") if p.is_file()]
    return int(max(mtimes, default=ZIP_EPOCH_MIN))


def iso_utc(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
