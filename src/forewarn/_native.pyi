"""Type stubs for forewarn's native core (native/src, Rust, built by maturin)."""

from collections.abc import Callable

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
