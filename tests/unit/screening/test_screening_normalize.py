"""Normalisation: one normalised character per raw character, words mapped to raw spans."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from board.screening.normalize import fold_text, normalize


@pytest.mark.parametrize("raw, folded", [
    ("FuCk", "fuck"),
    ("ｆｕｃｋ", "fuck"),  # full-width
    ("𝐟𝐮𝐜𝐤", "fuck"),  # mathematical bold
    ("ⓕⓤⓒⓚ", "fuck"),  # circled
    ("Ѕһіt", "shit"),  # Cyrillic
    ("ΑΒΕ", "abe"),  # Greek capitals
    ("ѕнιт", "shit"),  # mixed look-alikes
    ("Fück", "fuck"),
    ("ᴀꜱꜱ", "ass"),  # small capitals
    ("don’t", "don't"),
])
def test_fold(raw: str, folded: str) -> None:
    assert fold_text(raw) == folded


@pytest.mark.parametrize("raw, words", [
    ("Hello, world!", ["hello", "world"]),
    ("f_u_c_k f.u.c.k f-u-c-k", list("fuckfuckfuck")),
    ("don't sh!t \"quoted\" (paren) **bold**", ["don't", "sh!t", "quoted", "paren", "**bold**"]),
    ("fu\u00adck fu\u200bck e\u0301te", ["fuck", "fuck", "ete"]),
    ("a$$ @ss f*ck", ["a$$", "@ss", "f*ck"]),
    ("end!! 'start", ["end", "start"]),
    ("“smart quotes” — dash…", ["smart", "quotes", "dash"]),
])
def test_words(raw: str, words: list[str]) -> None:
    assert normalize(raw).words == words


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_offsets_are_preserved_and_words_map_back(raw: str) -> None:
    norm = normalize(raw)
    assert len(norm.text) == len(raw)
    for i, word in enumerate(norm.words):
        start, end = norm.word_span(i)
        assert 0 <= start <= end <= len(raw)
        assert norm.text[start:end].replace("\x00", "") == word
    for word in set(norm.words):
        spans = norm.spans_of(word)
        assert spans == sorted(norm.word_span(i) for i, w in enumerate(norm.words) if w == word)
