"""Type stubs for forewarn's native core (native/src, Rust, built by maturin)."""

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any

class WordPieces:
    def __init__(
        self,
        vocab: list[str],
        unknown: int,
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
    ) -> None: ...
    def char_info(self, c: str) -> tuple[list[str], str, str, str] | None: ...
    def tokenise_range(
        self,
        text: str,
        lo: int,
        before_run: bool,
        space_at_end: bool,
        lower_at_end: bool,
        lower_after_end: bool,
    ) -> tuple[tuple[str, ...], dict[str, int], list[Any]] | None: ...
