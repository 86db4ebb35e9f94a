"""Typed errors the library raises; only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class ForewarnError(Exception):
    """Base class of every error forewarn raises on purpose."""


class UnreadableInputError(ForewarnError):
    """A file forewarn cannot turn into a Work: too large, corrupt, encrypted, not text."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
