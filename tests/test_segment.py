from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.model import Chapter, Section, Source, Work
from forewarn.segment import MAX_WORDS, MIN_WORDS, segment
from tests.conftest import story_work


def _paragraph(n_words: int, word: str = "word") -> str:
    return " ".join([word] * (n_words - 1)) + " end."


def test_segment_keeps_offsets_aligned():
    text = "\n\n".join(_paragraph(n) for n in (5, 60, 3, 200, 12))
    for p in segment(story_work(text)):
        assert text[p.start : p.end] == p.text
        assert p.text == p.text.strip()


def test_segment_merges_short_paragraphs_up_to_min_words():
    text = "\n".join(_paragraph(5) for _ in range(20))  # 100 words of one-line dialogue
    passages = segment(story_work(text))
    assert all(len(p.text.split()) >= MIN_WORDS for p in passages[:-1])
    assert len(passages) < 20


def test_segment_splits_long_paragraphs_at_sentence_ends():
    sentences = " ".join(f"This is sentence number {i} of a very long paragraph." for i in range(100))
    passages = segment(story_work(sentences))
    assert len(passages) > 1
    assert all(p.text.endswith(".") for p in passages)
    assert all(p.text.count(" ") + 1 <= MAX_WORDS + 15 for p in passages)


def test_segment_never_crosses_sections_and_skips_non_story():
    story1, note, story2 = "Rain fell on the town.", "A/N: thanks for reading!", "The end came quietly."
    text = f"{story1}\n\n{note}\n\n{story2}"
    a, b = text.index(note), text.index(story2)
    work = Work(
        text=text,
        sections=(
            Section("story", 0, len(story1)),
            Section("author-note", a, a + len(note), 0),
            Section("story", b, len(text), 1),
        ),
        chapters=(Chapter("One", 0, b), Chapter("Two", b, len(text))),
        source=Source(None, "text"),
    )
    passages = segment(work)
    assert [p.text for p in passages] == [story1, story2]
    assert [p.chapter for p in passages] == [0, 1]
    assert [p.index for p in passages] == [0, 1]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .!?\n\t\r"), max_size=600))
def test_segment_covers_every_story_word_exactly_once(text):
    passages = segment(story_work(text))
    covered = "".join(p.text for p in passages)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(p.start < p.end for p in passages)
    assert all(a.end <= b.start for a, b in itertools.pairwise(passages))
