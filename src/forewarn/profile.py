"""Reader profiles: per label, what a reader wants done with a work that carries it.

A profile is a small TOML file. Its ``[labels]`` table maps a label (a ``forewarn labels`` name,
or one of AO3's four Archive Warnings) to an action:

- ``hide`` — keep such works out of lists;
- ``fold`` — show the work, with that warning collapsed (its reason one click or flag away);
- ``show`` — nothing to do (this is what every label not listed gets, unless ``default`` says
  otherwise).

Instead of an action, a label may get a table with richer settings (a *rule*), or a list of
rules, tried in order; the first one that fires decides for that label::

    [labels]
    self-harm = "hide"
    death = { action = "fold", unless_tags = ["Fix-It"] }
    violence = [{ action = "hide", min_severity = "graphic" }, { action = "fold" }]
    "Major Character Death" = "hide"

The settings of a rule:

``action`` (required)
    ``"hide"``, ``"fold"`` or ``"show"``. A ``show`` rule never fires: it only keeps the label
    away from ``default`` (and from the rules after it in a list).
``min_severity``
    The weakest severity that fires the rule. Severities are ordered
    ``mentioned < central < depicted < graphic``: a mention is below every warning; ``central``
    (off the page, but the story is about it, WARNINGS.md) is below ``depicted`` (on the page) and
    ``graphic`` (on the page, lingered on). So ``min_severity = "depicted"`` reads "only what
    happens on the page". Unset: any severity.
``tier``
    ``"warn"`` (the default): only the warning list counts. ``"any"``: things the work only
    mentions in passing (the report's ``mentions``) count too. A mention's severity is
    ``mentioned``, so it passes no ``min_severity`` above that.
``unless = "declared"``
    Trust the author: the rule does not fire when the author declared the label (the verdict's
    ``declared`` flag: a tag, an Archive Warning or a warning in the notes), since the reader
    has already seen it on the work's own page.
``only_fandoms`` / ``unless_fandoms``
    A name or a list of names: the rule fires only in a work of one of these fandoms / never
    in one. Fandoms are the author's (``declared.fandoms``); a work that declares none is
    judged by the fandom forewarn recognised, if any. A work of no known fandom never passes
    ``only_fandoms``.
``only_tags`` / ``unless_tags``
    The same for the author's tags: rating, Archive Warnings, categories, relationships,
    characters and additional tags (every AO3 tag but the fandoms).

Names in ``*_fandoms`` and ``*_tags`` match whole names, ignoring case and runs of spaces; ``*``
stands for any run of characters (``"Harry Potter*"`` matches "Harry Potter - J. K. Rowling").

A top-level ``default`` (an action, a rule, or a ``[default]`` table) applies to every label of
the taxonomy the ``[labels]`` table does not list; without it those labels are shown.
Archive Warnings are never given the default: they rest on labels that already had it.

What fires a rule. For a label, the report's verdict (from ``warnings``, or from ``mentions``
with ``tier = "any"``) passes when its severity reaches ``min_severity``. The author's own word
also counts: a label the author declared (``declared.labels``) counts as a warning of unknown
severity, so it fires a rule without a ``min_severity`` (``suicide = "hide"`` hides a work
tagged "Suicide" even where forewarn did not find it) but none with one. For an Archive
Warning key, the warning fires when forewarn reports it (``archive_warnings``) or the author
declared it (``declared.archive_warnings``); ``min_severity`` and ``tier`` do not apply to it.

Judging a report (``Profile.judge``) gives a :class:`Judgement`: the strongest action of the
rules that fired (hide > fold > show), every rule that fired as a :class:`Reason` (the label,
the action, the rule as text, the verdict's severity and tier), and the labels to collapse when
the work is shown anyway (``folded``: every label a reason names, hidden ones included, so a
hidden work opened on purpose still keeps them closed).

The profile works on the JSON form of a report (``forewarn.render_json.report_to_dict``, the
dict the library index stores), so stored works are judged without scanning them again.

``load_profile()`` reads ``default_profile_path()`` (``profile.toml`` in the platform's user
config folder for "forewarn", e.g. ``~/.config/forewarn/profile.toml``); a missing default file
is the empty profile, which shows everything. A missing explicit file and every mistake in a
file raise :class:`ProfileError` (a ``ForewarnError``) with one line naming the file, the key
and the problem.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from forewarn import places
from forewarn.errors import ForewarnError
from forewarn.labels import ARCHIVE_WARNINGS, LABEL_NAMES, LABELS, UNDERAGE

Action = Literal["hide", "fold", "show"]
ACTIONS: tuple[Action, ...] = ("hide", "fold", "show")
# Weakest first (see the module docstring): a mention, then an off-page central warning, then
# what is on the page, then what lingers on it.
SEVERITY_ORDER: tuple[str, ...] = ("mentioned", "central", "depicted", "graphic")
TIERS: tuple[str, ...] = ("warn", "any")
UNLESS: tuple[str, ...] = ("declared",)
RULE_KEYS: tuple[str, ...] = (
    "action",
    "min_severity",
    "tier",
    "unless",
    "only_fandoms",
    "unless_fandoms",
    "only_tags",
    "unless_tags",
)
TOP_KEYS: tuple[str, ...] = ("labels", "default")

_STRENGTH: dict[str, int] = {"show": 0, "fold": 1, "hide": 2}
_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITY_ORDER)}
_ARCHIVE_BY_FOLDED: dict[str, str] = {name.casefold(): name for name in ARCHIVE_WARNINGS}
# AO3 renamed "Underage" to "Underage Sex"; older downloads carry the old name (a profile key
# "underage" is the label).
_ARCHIVE_BY_FOLDED["underage"] = UNDERAGE
# Words readers use for a label, suggested (never taken) when a key is not a label.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "rape": ("sexual-assault", "Rape/Non-Con"),
    "non-con": ("sexual-assault", "Rape/Non-Con"),
    "noncon": ("sexual-assault", "Rape/Non-Con"),
    "porn": ("pornographic-content",),
    "smut": ("pornographic-content",),
    "sex": ("pornographic-content",),
    "explicit": ("pornographic-content",),
    "gore": ("violence", "blood"),
    "mcd": ("Major Character Death",),
    "character death": ("death", "Major Character Death"),
}
_LABEL_BY_TITLE: dict[str, str] = {label.title.casefold(): label.name for label in LABELS}


class ProfileError(ForewarnError):
    """A profile that cannot be used. ``str(error)`` is one line: the file, the key, the problem.

    >>> str(ProfileError("profile.toml", "labels.violnce", "unknown label; did you mean violence?"))
    'profile.toml: labels.violnce: unknown label; did you mean violence?'
    """

    def __init__(self, path: str, key: str | None, problem: str) -> None:
        super().__init__(path, key, problem)
        self.path = path
        self.key = key
        self.problem = problem

    def __str__(self) -> str:
        if self.key:
            return f"{self.path}: {self.key}: {self.problem}"
        return f"{self.path}: {self.problem}"


# ---------------------------------------------------------------------------------------------
# Rules and judgements


def _pattern(name: str) -> re.Pattern[str]:
    """A whole-name, case-blind matcher for a fandom or tag name; ``*`` is any run of characters."""
    parts = (re.escape(part) for part in _squash(name).split("*"))
    return re.compile(".*".join(parts), re.IGNORECASE | re.DOTALL)


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a profile for one key (a label or an Archive Warning)."""

    action: Action
    min_severity: str | None = None  # None: any severity
    tier: Literal["warn", "any"] = "warn"
    unless_declared: bool = False
    only_fandoms: tuple[str, ...] = ()
    unless_fandoms: tuple[str, ...] = ()
    only_tags: tuple[str, ...] = ()
    unless_tags: tuple[str, ...] = ()

    def describe(self, key: str) -> str:
        """The rule as a reader reads it: ``violence = hide if graphic``."""
        parts = [f"{key} = {self.action}"]
        if self.min_severity is not None and self.min_severity != "mentioned":
            if self.min_severity == "graphic":
                parts.append("if graphic")
            else:
                parts.append(f"if {self.min_severity} or worse")
        if self.tier == "any":
            parts.append("mentions too")
        if self.unless_declared:
            parts.append("unless declared")
        if self.only_fandoms:
            parts.append("in " + " or ".join(self.only_fandoms))
        if self.unless_fandoms:
            parts.append("unless in " + " or ".join(self.unless_fandoms))
        if self.only_tags:
            parts.append("if tagged " + " or ".join(self.only_tags))
        if self.unless_tags:
            parts.append("unless tagged " + " or ".join(self.unless_tags))
        return parts[0] + (" " + ", ".join(parts[1:]) if len(parts) > 1 else "")

    def conditions_hold(self, fandoms: Sequence[str], tags: Sequence[str]) -> bool:
        """The fandom and tag conditions, which do not depend on the label's verdict."""
        if self.only_fandoms and not _any_match(self.only_fandoms, fandoms):
            return False
        if self.unless_fandoms and _any_match(self.unless_fandoms, fandoms):
            return False
        if self.only_tags and not _any_match(self.only_tags, tags):
            return False
        return not (self.unless_tags and _any_match(self.unless_tags, tags))

    def passes(self, tier: str, severity: str | None) -> bool:
        """Whether one piece of evidence (a verdict, or the author's declaration) reaches the rule."""
        if tier == "mention" and self.tier != "any":
            return False
        if self.min_severity is None or self.min_severity == "mentioned":
            return True
        return severity in _RANK and _RANK[severity] >= _RANK[self.min_severity]


def _any_match(patterns: Iterable[str], names: Sequence[str]) -> bool:
    return any(_pattern(p).fullmatch(_squash(n)) for p in patterns for n in names)


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that fired: which label, what it does, and on what evidence."""

    label: str  # a taxonomy label, or an Archive Warning's AO3 name
    action: Action  # "hide" or "fold" (a "show" rule never fires)
    rule: str  # the rule as text: "violence = hide if graphic"
    severity: str | None  # the verdict's severity; None for the author's word or an Archive Warning
    # The evidence: "warn" or "mention" (the verdict's tier), "declared" (only the author's word),
    # or "archive" (an Archive Warning key).
    tier: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "action": self.action,
            "rule": self.rule,
            "severity": self.severity,
            "tier": self.tier,
        }


@dataclass(frozen=True, slots=True)
class Judgement:
    """What a profile does with one work."""

    action: Action = "show"
    reasons: tuple[Reason, ...] = ()
    folded: frozenset[str] = frozenset()

    @property
    def hidden(self) -> bool:
        return self.action == "hide"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"action", "reasons": [{"label", "action", "rule", "severity", "tier"}],
        "folded": [sorted labels]}``."""
        return {
            "action": self.action,
            "reasons": [r.to_dict() for r in self.reasons],
            "folded": sorted(self.folded),
        }


def describe(judgement: Judgement) -> str:
    """One line for text output; empty for a work the profile shows untouched.

    >>> describe(Judgement("fold", (Reason("violence", "fold", "violence = fold", "depicted", "warn"),),
    ...                    frozenset({"violence"})))
    'folded: violence (violence = fold)'
    """
    hide = [f"{r.label} ({r.rule})" for r in judgement.reasons if r.action == "hide"]
    fold = [f"{r.label} ({r.rule})" for r in judgement.reasons if r.action == "fold"]
    if judgement.action == "hide":
        line = "hidden by your profile: " + "; ".join(hide)
        return line + ("; folded: " + "; ".join(fold) if fold else "")
    if judgement.action == "fold":
        return "folded: " + "; ".join(fold)
    return ""


@dataclass(frozen=True)
class Profile:
    """A reader's profile. ``Profile()`` is the empty profile: it shows everything."""

    labels: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)
    default: tuple[Rule, ...] = ()
    path: Path | None = None

    @property
    def empty(self) -> bool:
        return not self.labels and not any(r.action != "show" for r in self.default)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<profile>") -> Profile:
        """A profile from parsed TOML (or any mapping of the same shape); ``source`` names it in errors."""
        return _parse(data, source)

    def judge(self, report: Mapping[str, Any]) -> Judgement:
        """Apply the profile to one report dict (``render_json.report_to_dict``'s form)."""
        evidence = _Evidence.of(report)
        reasons: list[Reason] = []
        for key, (rules, is_default) in self._rules_for(evidence):
            reason = _first_firing(key, rules, evidence, is_default)
            if reason is not None:
                reasons.append(reason)
        if not reasons:
            return Judgement()
        action = max((r.action for r in reasons), key=_STRENGTH.__getitem__)
        return Judgement(action, tuple(reasons), frozenset(r.label for r in reasons))

    def _rules_for(self, evidence: _Evidence) -> Iterator[tuple[str, tuple[tuple[Rule, ...], bool]]]:
        """Every key with evidence in the report and the rules that judge it, in report order."""
        for label in evidence.labels():
            if label in self.labels:
                yield label, (self.labels[label], False)
            elif self.default:
                yield label, (self.default, True)
        for name in evidence.archive:
            if name in self.labels:
                yield name, (self.labels[name], False)


@dataclass(frozen=True, slots=True)
class _Evidence:
    """What one report says, read once: verdicts by label, declarations, fandoms and tags."""

    verdicts: dict[str, list[tuple[str, str | None]]]  # label -> [(tier, severity)]
    declared: frozenset[str]
    archive: dict[str, bool]  # Archive Warning -> declared by the author
    fandoms: tuple[str, ...]
    tags: tuple[str, ...]

    @classmethod
    def of(cls, report: Mapping[str, Any]) -> _Evidence:
        verdicts: dict[str, list[tuple[str, str | None]]] = {}
        declared: set[str] = set()
        for key, default_tier in (("warnings", "warn"), ("mentions", "mention")):
            for item in _items(report.get(key)):
                label = item.get("label")
                if not isinstance(label, str):
                    continue
                tier = item.get("tier")
                tier = tier if tier in ("warn", "mention") else default_tier
                severity = item.get("severity")
                verdicts.setdefault(label, []).append((tier, severity if isinstance(severity, str) else None))
                if item.get("declared") is True:
                    declared.add(label)
        meta = report.get("declared")
        meta = meta if isinstance(meta, Mapping) else {}
        declared.update(x for x in _strings(meta.get("labels")) if x in LABEL_NAMES)
        archive: dict[str, bool] = {}
        for item in _items(report.get("archive_warnings")):
            name = _ARCHIVE_BY_FOLDED.get(str(item.get("name", "")).casefold())
            if name is not None:
                archive[name] = archive.get(name, False) or item.get("declared") is True
        for raw in _strings(meta.get("archive_warnings")):
            name = _ARCHIVE_BY_FOLDED.get(raw.casefold())
            if name is not None:
                archive[name] = True
        fandoms = _strings(meta.get("fandoms"))
        if not fandoms:
            detected = report.get("fandom")
            if isinstance(detected, Mapping) and isinstance(detected.get("name"), str):
                fandoms = (detected["name"],)
        rating = meta.get("rating")
        tags = (
            *((rating,) if isinstance(rating, str) and rating else ()),
            *_strings(meta.get("archive_warnings")),
            *_strings(meta.get("categories")),
            *_strings(meta.get("relationships")),
            *_strings(meta.get("characters")),
            *_strings(meta.get("additional_tags")),
        )
        return cls(verdicts, frozenset(declared), archive, fandoms, tags)

    def labels(self) -> list[str]:
        """Labels with a verdict (report order), then labels only the author declared (taxonomy order)."""
        seen = list(self.verdicts)
        return seen + [
            label for label in LABEL_NAMES if label in self.declared and label not in self.verdicts
        ]


def _items(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(x for x in value if isinstance(x, str))


def _first_firing(key: str, rules: tuple[Rule, ...], ev: _Evidence, is_default: bool) -> Reason | None:
    """The reason of the first rule for ``key`` that fires; None when a show rule or nothing fires."""
    archive = key in ARCHIVE_WARNINGS
    declared = ev.archive[key] if archive else key in ev.declared
    if archive:
        pieces: list[tuple[str, str | None]] = [("archive", None)]
    else:
        pieces = list(ev.verdicts.get(key, ()))
        if declared:
            # The author's word: a warning of unknown severity.
            pieces.append(("declared", None))
    name = "default" if is_default else key
    for rule in rules:
        if rule.unless_declared and declared:
            continue
        if not rule.conditions_hold(ev.fandoms, ev.tags):
            continue
        fired = next((p for p in pieces if rule.passes(p[0], p[1])), None)
        if fired is None:
            continue
        if rule.action == "show":
            return None
        return Reason(key, rule.action, rule.describe(name), fired[1], fired[0])
    return None


# ---------------------------------------------------------------------------------------------
# Loading


def default_profile_path() -> Path:
    """Where a reader's profile lives: ``profile.toml`` in the user config folder of forewarn."""
    return places.profile_path()


def load_profile(path: str | os.PathLike[str] | None = None) -> Profile:
    """Read a profile. ``None``: the default location, where a missing file is the empty profile.

    Raises :class:`ProfileError` (a ``ForewarnError``; one line naming the file, the key and the
    problem) for a missing explicit file, an unreadable one, bad TOML or a bad setting.
    """
    explicit = path is not None
    file = Path(path) if path is not None else default_profile_path()
    name = str(file)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        if not explicit:
            return Profile(path=None)
        raise ProfileError(name, None, "no such profile file") from None
    except IsADirectoryError:
        raise ProfileError(name, None, "is a folder, not a profile file") from None
    except OSError as error:
        raise ProfileError(name, None, f"cannot read it: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError(name, None, "not UTF-8 text (a profile is a TOML file)") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(name, None, f"not valid TOML: {error}") from None
    profile = _parse(data, name)
    return Profile(profile.labels, profile.default, file)


def _close(word: str, choices: Iterable[str]) -> list[str]:
    """The choices nearest to ``word``: the best match and any about as close (at most three)."""
    folded = {c.casefold(): c for c in choices}
    target = word.strip().casefold()
    scored = sorted(
        ((difflib.SequenceMatcher(None, target, c).ratio(), c) for c in folded), key=lambda x: -x[0]
    )
    if not scored or scored[0][0] < 0.6:
        return []
    best = scored[0][0]
    return [folded[c] for score, c in scored[:3] if score >= 0.6 and score >= best - 0.1]


def _hint(word: str, choices: Iterable[str]) -> str:
    close = _close(word, choices)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def _key_name(key: str) -> str:
    """A TOML key as a reader would write it back: quoted when it is not a bare key."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else f'"{key}"'


def _resolve(key: str) -> str | None:
    """A ``[labels]`` key as a taxonomy label or an Archive Warning; None when it is neither.

    A label's name comes first (``underage`` is the label, not AO3's old "Underage"), then an
    Archive Warning's name, then a label's title ("Sexual content"), all ignoring case.
    """
    folded = _squash(key)
    as_name = folded.replace("_", "-").replace(" ", "-")
    if as_name in LABEL_NAMES:
        return as_name
    if folded in _ARCHIVE_BY_FOLDED and folded != "underage":
        return _ARCHIVE_BY_FOLDED[folded]
    return _LABEL_BY_TITLE.get(folded)


def _parse(data: Mapping[str, Any], source: str) -> Profile:
    for top in data:
        if top not in TOP_KEYS:
            raise ProfileError(
                source,
                _key_name(top),
                "unknown setting (a profile has [labels] and default)" + _hint(top, TOP_KEYS),
            )
    labels_table = data.get("labels", {})
    if not isinstance(labels_table, Mapping):
        raise ProfileError(source, "labels", f"must be a table ([labels]), not {_type_name(labels_table)}")
    rules: dict[str, tuple[Rule, ...]] = {}
    given_as: dict[str, str] = {}
    for key, value in labels_table.items():
        where = f"labels.{_key_name(key)}"
        name = _resolve(key)
        if name is None:
            close = _close(key, (*LABEL_NAMES, *ARCHIVE_WARNINGS)) or list(_SYNONYMS.get(_squash(key), ()))
            hint = f"; did you mean {' or '.join(close)}?" if close else " (`forewarn labels` lists them)"
            raise ProfileError(source, where, "unknown label" + hint)
        if name in given_as:
            raise ProfileError(source, where, f"{name} is already given as {_key_name(given_as[name])}")
        given_as[name] = key
        rules[name] = _rules(value, source, where, archive=name in ARCHIVE_WARNINGS)
    default: tuple[Rule, ...] = ()
    if "default" in data:
        default = _rules(data["default"], source, "default", archive=False)
    return Profile(rules, default)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return "a date or time"


def _rules(value: Any, source: str, where: str, *, archive: bool) -> tuple[Rule, ...]:
    if isinstance(value, list):
        if not value:
            raise ProfileError(source, where, "an empty list of rules")
        return tuple(_rule(item, source, f"{where}[{i}]", archive=archive) for i, item in enumerate(value))
    return (_rule(value, source, where, archive=archive),)


def _rule(value: Any, source: str, where: str, *, archive: bool) -> Rule:
    if isinstance(value, str):
        return Rule(_action(value, source, where))
    if not isinstance(value, Mapping):
        raise ProfileError(
            source,
            where,
            f'must be an action ("hide", "fold", "show") or a table of settings, not {_type_name(value)}',
        )
    for key in value:
        if key not in RULE_KEYS:
            raise ProfileError(source, f"{where}.{_key_name(key)}", "unknown setting" + _hint(key, RULE_KEYS))
    if "action" not in value:
        raise ProfileError(source, where, 'needs an action ("hide", "fold" or "show")')
    action = _action(value["action"], source, f"{where}.action")
    if archive:
        for key in ("min_severity", "tier"):
            if key in value:
                raise ProfileError(
                    source,
                    f"{where}.{key}",
                    "does not apply to an Archive Warning (it has no severity or tier)",
                )
    min_severity = None
    if "min_severity" in value:
        min_severity = _choice(
            value["min_severity"], SEVERITY_ORDER, source, f"{where}.min_severity", "severity"
        )
    tier = "warn"
    if "tier" in value:
        tier = _choice(value["tier"], TIERS, source, f"{where}.tier", "tier")
    unless_declared = False
    if "unless" in value:
        _choice(value["unless"], UNLESS, source, f"{where}.unless", "condition")
        unless_declared = True
    names = {
        key: _names(value[key], source, f"{where}.{key}") if key in value else ()
        for key in ("only_fandoms", "unless_fandoms", "only_tags", "unless_tags")
    }
    return Rule(
        action,
        min_severity,
        cast(Literal["warn", "any"], tier),
        unless_declared,
        names["only_fandoms"],
        names["unless_fandoms"],
        names["only_tags"],
        names["unless_tags"],
    )


def _action(value: Any, source: str, where: str) -> Action:
    return cast(Action, _choice(value, ACTIONS, source, where, "action"))


def _choice(value: Any, choices: Sequence[str], source: str, where: str, what: str) -> str:
    allowed = ", ".join(f'"{c}"' for c in choices)
    if not isinstance(value, str):
        raise ProfileError(source, where, f"must be a string, one of {allowed}, not {_type_name(value)}")
    if value in choices:
        return value
    if value.strip().casefold() in choices:
        return value.strip().casefold()
    raise ProfileError(source, where, f'unknown {what} "{value}"; use one of {allowed}')


def _names(value: Any, source: str, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ProfileError(
            source, where, f"must be a name or a list of names (strings), not {_type_name(value)}"
        )
    names = tuple(x.strip() for x in items if x.strip())
    if not names:
        raise ProfileError(source, where, "no names given")
    return names
