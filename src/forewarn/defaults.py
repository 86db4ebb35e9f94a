"""Defaults that the command line shows in its help, in a module with no imports of forewarn's own,
so that `forewarn --help` does not load the readers, the detectors or the batch runner."""

from __future__ import annotations

import os

DEFAULT_MAX_BYTES = 40 * 1024 * 1024  # larger than any single story; a guard against wrong files
PART_ROWS = 2000  # rows per Parquet part (a few MB held at most)


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
