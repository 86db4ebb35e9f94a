"""Type stubs for forewarn's native core (native/src, Rust, built by maturin)."""

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

class WordPieces:
    def __init__(
        self,
        vocab: list[str],
        vectors: bytes,
        dims: int,
        fallback: Callable[[str], tuple[int, ...]],
    ) -> None: ...
    def piece_ids(self, text: str) -> list[int]: ...
    def vector_sum(self, text: str) -> bytes | None: ...

class NameTokens:
    def __init__(
        self,
        token: Callable[..., Any],
        cap_first: AbstractSet[str],
        honorifics: list[str],
        abbreviations: AbstractSet[str],
        determiners: AbstractSet[str],
        locative: AbstractSet[str],
        chars: str,
        folds: list[str],
        lowers: list[str],
        classes: dict[str, str],
        honorific: dict[str, str],
        learn: Callable[[str], tuple[str, list[str], list[str], dict[str, str], dict[str, str]]]
        | None = None,
    ) -> None: ...
    def char_info(self, c: str, learn: bool = False) -> tuple[list[str], str, str, str] | None: ...
    def tokenise_range(
        self,
        text: str,
        lo: int,
        before_run: bool,
        space_at_end: bool,
        lower_at_end: bool,
        lower_after_end: bool,
        lower: dict[str, int] | None = None,
    ) -> tuple[tuple[str, ...], dict[str, int], list[Any]] | None: ...

class CueMatcher:
    def __init__(
        self,
        full: dict[str, tuple[int, ...]],
        prefix: dict[str, tuple[int, ...]],
        word_ranges: list[tuple[int, int]],
    ) -> None: ...
    def find(self, text: str) -> list[tuple[int, int, tuple[int, ...]]] | None: ...

WHO_TEXT_PATTERNS: tuple[str, str]

def who_layout(text: str, lo: int, span: Callable[[int, int], Any]) -> tuple[list[Any], list[Any]] | None: ...
def who_text_spaces() -> str: ...

class CanonTerms:
    def __init__(
        self,
        terms: AbstractSet[str],
        firsts: AbstractSet[str],
        prefixes: AbstractSet[str],
        max_words: int,
        fold: Callable[[str], str],
    ) -> None: ...
    def count(self, words: Sequence[str]) -> list[tuple[str, int]] | None: ...

def token_ascii(c: str) -> str | None: ...

class KeywordFeatures:
    def __init__(
        self,
        warnings: list[str],
        warnings_of: Callable[[str], tuple[str, ...]],
        modal: AbstractSet[str],
        neg: AbstractSet[str],
        p1: AbstractSet[str],
        p2: AbstractSet[str],
        p3: AbstractSet[str],
        past: AbstractSet[str],
        window: int,
        max_hits: int,
        nhits_cap: int,
        n_features: int,
    ) -> None: ...
    def tokens(self, text: str) -> list[tuple[str, int]]: ...
    def hits(self, text: str, row: int) -> list[int]: ...
    def scan(
        self, text: str, wanted: int, context: int
    ) -> list[tuple[int, list[int], str, int, int, int]]: ...

class LiteralSets:
    def __init__(self, sets: list[list[list[str]]]) -> None: ...
    def holding(self, text: str, asked: list[int] | None = None) -> list[int] | None: ...

class WordStarts:
    def __init__(self, prefixes: Sequence[tuple[str, bool]]) -> None: ...
    def find(self, text: str, spans: Sequence[tuple[int, int]]) -> list[list[int]] | None: ...

TEXT_CUES_PATTERNS: tuple[str, str, str, str]

class CueText:
    def sentences(self) -> tuple[list[int], list[int]]: ...
    def clause_start(self, pos: int, floor: int) -> int: ...
    def words_before(self, pos: int, floor: int, n: int) -> list[str]: ...

def cue_text(text: str) -> CueText | None: ...

class PanicException(BaseException): ...

def who_group_starts(
    text: str, starts: list[int], surface_ends: list[int], possessive: list[bool], particles: list[str]
) -> tuple[list[int], list[int]] | None: ...
