"""The profile page's form: a reader's profile file read into rows of simple settings, and the
form's answers written back.

The form edits the simple forms of the ``[labels]`` table (and of ``default``): an action, with
an optional lowest severity (``violence = "hide"``, ``blood = { action = "fold", min_severity =
"graphic" }``). Whatever else a file holds (lists of rules, fandom or tag conditions, mentions,
``unless = "declared"``) is shown as text and written back as it was. TOML comments and layout
cannot be kept by a writer, so before a file is replaced, its previous text is saved beside it
as ``<name>.bak`` and the page says so.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from forewarn.labels import ARCHIVE_WARNINGS, LABELS
from forewarn.profile import ACTIONS, SEVERITY_ORDER, Profile, ProfileError, Rule

UNLISTED = ""  # the form's value for "not in [labels]": the default applies (show, unless set)
SEVERITY_CHOICES = SEVERITY_ORDER[1:]  # central, depicted, graphic ("mentioned" is any)
HEADER = "# forewarn reader profile (see `forewarn scan --help`); saved by `forewarn serve`.\n"


@dataclass(frozen=True, slots=True)
class Row:
    """One key of the profile as the form shows it."""

    key: str  # a label name, or an Archive Warning's AO3 name
    title: str
    archive: bool
    action: str  # UNLISTED, or an action
    min_severity: str  # "" for any
    kept: str | None  # a rule the form cannot show, as text: kept as written


@dataclass(frozen=True, slots=True)
class ProfileFile:
    """A profile file as the form needs it: parsed TOML, each key resolved to its label."""

    path: Path
    exists: bool
    data: dict[str, Any]  # the TOML, as parsed
    keys: dict[str, str]  # label or Archive Warning -> the key as written in [labels]
    error: str | None = None  # the file cannot be used (bad TOML, bad setting): the form cannot save

    @property
    def labels(self) -> Mapping[str, Any]:
        table = self.data.get("labels", {})
        return table if isinstance(table, Mapping) else {}


def _simple(value: Any) -> tuple[str, str] | None:
    """(action, min_severity) of a setting the form can show, or None."""
    if isinstance(value, str):
        return value.strip().casefold(), ""
    if isinstance(value, Mapping) and "action" in value and set(value) <= {"action", "min_severity"}:
        action, severity = value["action"], value.get("min_severity", "")
        if isinstance(action, str) and isinstance(severity, str):
            severity = severity.strip().casefold()
            return action.strip().casefold(), "" if severity == "mentioned" else severity
    return None


def _described(rules: tuple[Rule, ...], name: str) -> str:
    return "; then ".join(rule.describe(name) for rule in rules)


def read(path: Path) -> ProfileFile:
    """The profile file at ``path`` (a missing one is the empty profile, saved on first use)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ProfileFile(path, False, {}, {})
    except OSError as error:
        return ProfileFile(path, True, {}, {}, f"{path}: cannot read it: {error.strerror or error}")
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ProfileFile(path, True, {}, {}, f"{path}: not UTF-8 text")
    except tomllib.TOMLDecodeError as error:
        return ProfileFile(path, True, {}, {}, f"{path}: not valid TOML: {error}")
    try:
        Profile.from_dict(data, source=str(path))
        keys: dict[str, str] = {}
        table = data.get("labels", {})
        for key, value in table.items():
            [name] = Profile.from_dict({"labels": {key: value}}, source=str(path)).labels
            keys[name] = key
    except ProfileError as error:
        return ProfileFile(path, True, data, {}, str(error))
    return ProfileFile(path, True, data, keys)


def rows(profile: ProfileFile) -> list[Row]:
    """Every label of the taxonomy, then the four Archive Warnings, with their settings."""
    result = []
    keys = [(label.name, label.title, False) for label in LABELS]
    keys += [(name, name, True) for name in ARCHIVE_WARNINGS]
    for name, title, archive in keys:
        written = profile.keys.get(name)
        action, severity, kept = UNLISTED, "", None
        if written is not None:
            value = profile.labels[written]
            simple = _simple(value)
            if simple is None:
                rules = Profile.from_dict({"labels": {written: value}}).labels[name]
                kept = _described(rules, name)
            else:
                action, severity = simple
        result.append(Row(name, title, archive, action, severity, kept))
    return result


def default_row(profile: ProfileFile) -> Row:
    """The ``default`` setting: what every label of the taxonomy not listed gets."""
    if "default" not in profile.data:
        return Row("default", "Every other label", False, UNLISTED, "", None)
    value = profile.data["default"]
    simple = _simple(value)
    if simple is None:
        return Row(
            "default", "Every other label", False, UNLISTED, "", _described(_default(value), "default")
        )
    return Row("default", "Every other label", False, *simple, None)


def _default(value: Any) -> tuple[Rule, ...]:
    return Profile.from_dict({"default": value}).default


def _setting(action: str, severity: str) -> str | dict[str, str]:
    return {"action": action, "min_severity": severity} if severity else action


def apply(profile: ProfileFile, form: Mapping[str, Any]) -> dict[str, Any]:
    """The profile data the form's answers make: ``action:<key>`` and ``severity:<key>`` fields.

    Kept rules stay as written; a label set back to "not listed" leaves ``[labels]``. Raises
    ``ProfileError`` for a value the form never offers.
    """
    source = "the form"
    labels: dict[str, Any] = {}
    order = list(profile.keys)  # the file's order first, then the taxonomy's
    for row in rows(profile):
        if row.key not in order:
            order.append(row.key)
    by_key = {row.key: row for row in rows(profile)}
    for name in order:
        row = by_key[name]
        if row.kept is not None:
            written = profile.keys[name]
            labels[written] = profile.labels[written]
            continue
        action = str(form.get(f"action:{name}", UNLISTED))
        severity = "" if row.archive else str(form.get(f"severity:{name}", ""))
        if action == UNLISTED:
            continue
        if action not in ACTIONS:
            raise ProfileError(source, name, f"unknown action {action!r}")
        if severity and severity not in SEVERITY_CHOICES:
            raise ProfileError(source, name, f"unknown severity {severity!r}")
        labels[profile.keys.get(name, name)] = _setting(action, severity)
    data: dict[str, Any] = {}
    default = default_row(profile)
    if default.kept is not None:
        data["default"] = profile.data["default"]
    else:
        action = str(form.get("action:default", UNLISTED))
        severity = str(form.get("severity:default", ""))
        if action not in (UNLISTED, *ACTIONS):
            raise ProfileError(source, "default", f"unknown action {action!r}")
        if severity and severity not in SEVERITY_CHOICES:
            raise ProfileError(source, "default", f"unknown severity {severity!r}")
        if action != UNLISTED:
            data["default"] = _setting(action, severity)
    if labels:
        data["labels"] = labels
    Profile.from_dict(data, source=source)  # what is written must load
    return data


@dataclass(frozen=True, slots=True)
class Saved:
    path: Path
    backup: Path | None  # where the previous text went, when there was one that differs


def write(path: Path, data: Mapping[str, Any]) -> Saved:
    """Write the profile atomically (a reader never sees half a file); the old text goes to .bak."""
    text = HEADER + tomli_w.dumps(dict(data))
    backup = None
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = None
    if old is not None and old != text.encode():
        backup = path.with_name(path.name + ".bak")
        backup.write_bytes(old)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".profile-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Saved(path, backup)
