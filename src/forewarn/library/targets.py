"""What the user named -> the files to index: files, folders (recursively), globs, Calibre libraries."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator, Sequence

from forewarn.errors import UnreadableInputError
from forewarn.library.scanner import Target
from forewarn.readers.calibre import is_calibre_library, read_library

# In a folder only these are taken as stories (a file named on its own is always tried): a
# library folder also holds covers, fonts and notes that would each become an error row.
STORY_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml", ".epub", ".htmlz", ".zip"})


def expand(paths: Sequence[str], calibre: Sequence[str] = ()) -> list[Target]:
    """The targets, in a stable order (sorted within a folder), each path once.

    A folder holding ``metadata.db`` is read as a Calibre library, wherever it is found.

    >>> expand(["/no/such/story.txt"])[0].path
    '/no/such/story.txt'
    """
    found = [t for arg in paths for t in _expand_one(arg)]
    found += [t for lib in calibre for t in _calibre(lib)]
    seen: set[str] = set()
    unique: list[Target] = []
    for target in found:
        if target.path not in seen:
            seen.add(target.path)
            unique.append(target)
    return unique


def _expand_one(arg: str) -> Iterator[Target]:
    if os.path.isdir(arg):
        yield from _folder(arg)
    elif os.path.lexists(arg) or not glob.has_magic(arg):
        yield Target(os.path.abspath(arg))  # a missing file is reported when it is read
    else:
        matches = sorted(glob.glob(os.path.expanduser(arg), recursive=True))
        if not matches:
            yield Target(arg, problem="no file matches this pattern")
        for match in matches:
            yield from _folder(match) if os.path.isdir(match) else (Target(os.path.abspath(match)),)


def _folder(folder: str) -> Iterator[Target]:
    if is_calibre_library(folder):
        yield from _calibre(folder)
        return
    for root, dirs, files in os.walk(os.path.abspath(folder)):
        # Hidden folders (.git, .Trash) hold no stories; sorted so that runs take the same order.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        libraries = [d for d in dirs if is_calibre_library(os.path.join(root, d))]
        for library in libraries:
            dirs.remove(library)  # its books are read through metadata.db, one format each
            yield from _calibre(os.path.join(root, library))
        yield from (Target(os.path.join(root, f)) for f in sorted(_stories(files)))


def _stories(files: Iterable[str]) -> Iterator[str]:
    return (f for f in files if not f.startswith(".") and os.path.splitext(f)[1].lower() in STORY_SUFFIXES)


def _calibre(library: str) -> Iterator[Target]:
    lib = os.path.abspath(library)
    try:
        listing = read_library(lib)
    except UnreadableInputError as error:
        yield Target(lib, problem=error.problem)
        return
    for junk in listing.problems:
        yield Target(junk.path, problem=junk.problem)
    for book in listing.books:
        if book.path is None or book.format is None:
            formats = ", ".join(book.formats) or "no files"
            problem = "; ".join((f"no format forewarn reads ({formats})", *book.notes))
            yield Target(f"{lib}: calibre book {book.id} ({book.title})", book=book, problem=problem)
        else:
            yield Target(book.path, book=book)
