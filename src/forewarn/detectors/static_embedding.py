"""A static passage embedding: what a sentence encoder knows about words, at dictionary speed.

The table ``models/minilm-static-128.npz`` holds one 128-dimensional vector per word piece of
all-MiniLM-L6-v2's vocabulary, distilled from the transformer once, model2vec-style, by
``tools/distill_static_embedding.py`` (see ``models/README.md``). A passage's vector is the mean
of its word pieces' vectors, L2-normalised: no transformer runs at scan time, numpy only.

The word pieces are those of BERT's uncased tokenizer (lower-case, accents stripped, punctuation
split off, then greedy longest-match word pieces), re-implemented here so that scanning needs no
tokenizer library; each distinct word is split once and remembered (Zipf's law).

>>> embedding = StaticEmbedding.load()
>>> embedding.pieces("Unbelievably, they're gone.")
['un', '##bel', '##ie', '##va', '##bly', ',', 'they', "'", 're', 'gone', '.']
>>> round(float((embedding.embed("He was stabbed.") ** 2).sum()), 3)
1.0
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from forewarn._native import WordPieces

TABLE_FILE = "minilm-static-128.npz"
_MAX_WORD = 100  # characters; BERT maps a longer word to [UNK]
_UNKNOWN = "[UNK]"


def default_table_path() -> Path:
    return Path(str(resources.files("forewarn.detectors").joinpath("models", TABLE_FILE)))


def _is_punctuation(char: str) -> bool:
    """BERT's rule: ASCII symbols count as punctuation too ("$", "^", "`")."""
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _basic_words(token: str) -> list[str]:
    """BERT's basic tokenizer on one lower-cased, whitespace-free token: accents stripped,
    control characters dropped, punctuation and CJK characters split off as words of their own."""
    text = "".join(c for c in unicodedata.normalize("NFD", token) if unicodedata.category(c) != "Mn")
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf") or char in ("\ufffd", "\x00"):
            continue
        if _is_punctuation(char) or _is_cjk(ord(char)):
            if current:
                words.append("".join(current))
                current = []
            words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


@dataclass(frozen=True, eq=False)
class StaticEmbedding:
    """Word-piece vectors (float16) and the vocabulary that indexes them."""

    vocab: tuple[str, ...]
    vectors: np.ndarray  # (len(vocab), dims) float16
    meta: dict[str, Any] = field(default_factory=dict)
    _split: Callable[[str], tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _native: WordPieces = field(init=False, repr=False, compare=False)
    _native_lock: threading.Lock = field(init=False, repr=False, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> StaticEmbedding:
        return _load(str(default_table_path() if path is None else path))

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def pieces(self, text: str) -> list[str]:
        """The word pieces of ``text`` (for tests and curious readers; ``embed`` uses ids)."""
        return [self.vocab[i] for i in self.piece_ids(text)]

    def piece_ids(self, text: str) -> list[int]:
        try:
            with self._native_lock:
                return self._native.piece_ids(text)
        except UnicodeEncodeError:  # a lone surrogate, from a lenient decode
            return self._python_piece_ids(text)

    def _python_piece_ids(self, text: str) -> list[int]:
        """The reference the native core is tested against, and the path for text that cannot
        cross into it."""
        ids: list[int] = []
        split = self._split
        for token in text.lower().split():
            ids.extend(split(token))
        return ids

    def embed(self, text: str) -> np.ndarray:
        """The passage vector of ``text``: mean of its pieces' vectors, L2-normalised (float32);
        all zeros for text without word pieces."""
        try:
            with self._native_lock:
                summed = self._native.vector_sum(text)
            total = np.zeros(self.dims, np.float32) if summed is None else np.frombuffer(summed, np.float32)
        except UnicodeEncodeError:
            ids = self._python_piece_ids(text)
            total = self.vectors[ids].sum(0, dtype=np.float32) if ids else np.zeros(self.dims, np.float32)
        norm = float(np.sqrt(total @ total))
        return total / norm if norm > 0 else total

    def __post_init__(self) -> None:
        @cache  # made on first use: most text never needs the Python splitter
        def vocabulary() -> tuple[dict[str, int], int]:
            index = {piece: i for i, piece in enumerate(self.vocab)}
            return index, index.get(_UNKNOWN, 0)

        @lru_cache(maxsize=1 << 18)  # bounded: a worker scanning a whole archive meets millions of tokens
        def split(token: str) -> tuple[int, ...]:
            """Greedy longest-match-first word pieces of one whitespace-free token."""
            index, unknown = vocabulary()
            ids: list[int] = []
            for word in _basic_words(token):
                if len(word) > _MAX_WORD:
                    ids.append(unknown)
                    continue
                found: list[int] = []
                start = 0
                while start < len(word):
                    end = len(word)
                    piece = None
                    while end > start:
                        candidate = word[start:end] if start == 0 else "##" + word[start:end]
                        piece = index.get(candidate)
                        if piece is not None:
                            break
                        end -= 1
                    if piece is None:
                        found = [unknown]
                        break
                    found.append(piece)
                    start = end
                ids.extend(found)
            return tuple(ids)

        object.__setattr__(self, "_split", split)
        # Non-ASCII tokens go back to ``split`` above, so both paths share one set of Unicode rules.
        native = WordPieces(
            list(self.vocab), self.vectors.astype("<f2").tobytes(), self.dims, lambda t: split(t.lower())
        )
        object.__setattr__(self, "_native", native)
        # One call at a time: the core's token cache changes during a call, which calls back into
        # Python, where another thread (the web page's pool) could start a second one.
        object.__setattr__(self, "_native_lock", threading.Lock())

    def __reduce__(self) -> tuple[Any, ...]:
        # The split cache is a closure: rebuild it on unpickling (detectors travel to workers).
        return (StaticEmbedding, (self.vocab, self.vectors, self.meta))


@cache
def _load(path: str) -> StaticEmbedding:
    """One table per process, shared by every detector that reads it."""
    with np.load(path, allow_pickle=False) as data:
        return StaticEmbedding(
            tuple(str(p) for p in data["vocab"]),
            data["vectors"].astype(np.float16),
            json.loads(str(data["meta"])),
        )
