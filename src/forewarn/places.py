"""Where forewarn keeps a reader's files unless told otherwise (platformdirs' user folders).

A module of its own, with no other imports, so that the command line can name these paths in its
help without loading the library or the profile code.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs


def library_path() -> Path:
    """The library file: ``<user data dir>/forewarn/library.sqlite3``."""
    return Path(platformdirs.user_data_dir("forewarn")) / "library.sqlite3"


def profile_path() -> Path:
    """A reader's profile: ``profile.toml`` in the user config folder of forewarn."""
    return Path(platformdirs.user_config_dir("forewarn")) / "profile.toml"
