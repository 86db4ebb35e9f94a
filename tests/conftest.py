"""Shared test helpers: paths to ../shared, the real works there, and tiny Work builders."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from forewarn.model import Chapter, Section, Source, Work

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data is not beside this checkout")
    return path


@functools.cache
def _jsonl_texts(path: Path) -> tuple[str, ...]:
    with open(path, encoding="utf-8") as handle:
        return tuple(json.loads(line)["text"] for line in handle)


def shared_texts(name: str) -> tuple[str, ...]:
    """The "text" of every line of ../shared/data/<name> (read once a session), or skip when absent.

    ``passages-train.jsonl`` gives the training passages' plain text, ``pan23-sample-works.jsonl``
    the 10 PAN sample works' raw HTML.
    """
    shared_path("data")  # the folder first, so that its absence is the reason given
    return _jsonl_texts(shared_path("data", name))


@pytest.fixture(scope="session")
def real_works(tmp_path_factory: pytest.TempPathFactory) -> tuple[Work, ...]:
    """Every real work beside the checkout, read with forewarn.read once a session, or skip.

    First the 10 PAN sample works (their HTML written to a temp file each, in the file's order), then
    every file in works-dev/files, sorted by name.
    """
    from forewarn import read

    pan = shared_texts("pan23-sample-works.jsonl")
    files = shared_path("data", "works-dev", "files")
    folder = tmp_path_factory.mktemp("pan-works")
    works = []
    for n, html in enumerate(pan):
        page = folder / f"pan-{n}.html"
        page.write_text(html, encoding="utf-8")
        works.append(read(page))
    works += [read(path) for path in sorted(files.iterdir())]
    return tuple(works)


def story_work(text: str) -> Work:
    """A Work whose whole text is one story section in one chapter."""
    return Work(
        text=text,
        sections=(Section("story", 0, len(text)),),
        chapters=(Chapter("", 0, len(text)),),
        source=Source(None, "text"),
    )


@pytest.fixture(autouse=True)
def _own_config_and_data_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the user's own profile and library (platformdirs reads XDG_*)."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
