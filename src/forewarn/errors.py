"""Typed errors the library raises; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from forewarn._native import PanicException

# What the catch-alls that keep one bad input from stopping a batch catch: any bug in Python, and a
# panic in the native core, which PyO3 raises as a BaseException so that `except Exception`
# would let it through.
BUGS: tuple[type[BaseException], ...] = (Exception, PanicException)


class ForewarnError(Exception):
    """Base class of every error forewarn raises on purpose."""


class UnreadableInputError(ForewarnError):
    """An input that no reader can turn into a Work: missing, too large, binary, empty …

    ``str(error)`` is one line naming the input and the problem, ready for the CLI:

    >>> str(UnreadableInputError("story.txt", "file is empty"))
    'story.txt: file is empty'
    """

    def __init__(self, path: str, problem: str) -> None:
        # Both go to Exception.__init__ so that the error pickles (multiprocessing ships it back).
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"
