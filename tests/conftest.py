"""Shared test helpers: paths to ../shared and tiny Work builders."""

from __future__ import annotations

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
