"""Text normalisation shared by the word screens.

The normalised text has exactly one character per raw character, so an offset into it
is an offset into the raw comment and flags can point at what the author wrote:

- case is folded; accents and other combining marks are dropped; compatibility forms
  (full-width ``ｆ``, mathematical ``𝐟``, circled ``ⓕ``) become their plain letter;
- Cyrillic, Greek and small-capital look-alikes become the Latin letter they imitate;
- zero-width characters and soft hyphens become a placeholder that words ignore, so
  ``fu\u00adck`` is one word; other scripts' punctuation becomes a space.

Leetspeak and repeated letters are not rewritten here: they are matched by
:mod:`board.screening.matching`, which needs the characters as written.
"""
from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
from typing import Any

#: Stands for a character that should vanish inside a word (combining mark, zero-width).
GLUE = "\x00"

# Look-alikes of Latin letters, after lower-casing and compatibility decomposition.
_HOMOGLYPHS = {
    # Cyrillic
    "а": "a", "в": "b", "г": "r", "д": "d", "е": "e", "ѐ": "e", "ё": "e", "з": "3",
    "и": "u", "к": "k", "л": "n", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p",
    "с": "c", "т": "t", "у": "y", "ф": "f", "х": "x", "ц": "u", "ч": "4", "ш": "w",
    "щ": "w", "ъ": "b", "ь": "b", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ѵ": "v", "ѡ": "w", "ү": "y", "ҡ": "k",
    # Greek
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "θ": "o",
    "ι": "i", "κ": "k", "λ": "l", "μ": "u", "ν": "v", "ο": "o", "π": "n", "ρ": "p",
    "σ": "o", "ς": "s", "τ": "t", "υ": "u", "φ": "f", "χ": "x", "ψ": "w", "ω": "w",
    "ϲ": "c", "ϳ": "j", "ϵ": "e",
    # Latin variants and small capitals
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʀ": "r", "ɴ": "n",
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ꜱ": "s",
    "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ø": "o", "đ": "d",
    "ħ": "h", "ł": "l", "ŧ": "t", "ƒ": "f", "ß": "s", "æ": "a", "œ": "o", "þ": "p",
    # punctuation that stands in for ASCII inside words
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "\uff07": "'",
}
_INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d"
                       "\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")


def _fold(ch: str) -> str:
    """One raw character to exactly one normalised character."""
    if ch in _INVISIBLE or ch == GLUE:
        return GLUE
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    if not kept:
        # A lone combining mark (a decomposed accent): part of the word before it.
        return GLUE
    # One character in, one out: keep the first of an expansion ("ﬁ" -> "f", "…" -> ".").
    out = _HOMOGLYPHS.get(kept[0], kept[0])
    if out.isascii():
        return " " if out.isspace() else out
    # Other scripts' letters and digits stay; their punctuation and symbols separate words.
    return out if out.isalnum() else " "


class LazyTable(dict[int, str]):
    """A ``str.translate`` table filled lazily by ``fold``, one code point at a time."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        super().__init__()
        self.fold = fold

    def __missing__(self, code: int) -> str:
        value = self.fold(chr(code))
        if len(self) < 200_000:
            self[code] = value
        return value


_TABLE = LazyTable(_fold)

#: Characters that are part of a word: letters, digits, the leetspeak symbols @ $ *, and
#: ' ! | + (kept inside a word, "don't", "sh!t", "shi+", trimmed from its ends).
WORD_PUNCTUATION = "@$*'!|+"
_EDGE = "'!|+"
# ASCII punctuation that separates words (the folded text holds no other punctuation).
_SEPARATORS = str.maketrans({
    c: " " for c in string.punctuation if c not in WORD_PUNCTUATION
})


def fold_text(raw: str) -> str:
    """The normalised text of ``raw``: same length, offsets preserved."""
    if raw.isascii():
        return raw.lower()
    return raw.translate(_TABLE)


def split_words(text: str) -> list[str]:
    """The words of a folded text (``GLUE`` removed); empty strings keep positions aligned."""
    return _words(text.translate(_SEPARATORS).split(), text)


def _words(chunks: list[str], text: str) -> list[str]:
    words = [w.strip(_EDGE) for w in chunks]
    if GLUE in text:
        words = [w.replace(GLUE, "") for w in words]
    return words


_CHUNK_RE = re.compile(r"\S+")
_SPACED_HINT_RE = re.compile(r"\s\S\s{1,3}\S\s{1,3}\S\s")


class Normalized:
    """A comment's normalised text and words, computed once and shared by the screens.

    ``words[i]`` is the i-th word; :meth:`span` gives raw offsets of words ``i..j``,
    located only when a screen needs them. ``cache`` lets matchers share work between
    the screens for this one comment.
    """

    __slots__ = ("raw", "text", "words", "cache", "_spaced", "_chunks", "_spans", "_pos")

    def __init__(self, raw: str, text: str) -> None:
        self.raw = raw
        self.text = text
        spaced = text.translate(_SEPARATORS)
        self._spaced = spaced
        self._chunks = spaced.split()
        self.words = _words(self._chunks, text)
        self.cache: dict[Any, Any] = {}
        self._spans: list[tuple[int, int]] = []
        self._pos = 0

    def may_spell_letters(self) -> bool:
        """Could the text hold three single letters in a row ("f u c k", "s.o.b")?"""
        return _SPACED_HINT_RE.search(f" {self._spaced} ") is not None

    def _span_of_chunk(self, i: int) -> tuple[int, int]:
        # Chunks are found in order, so each search starts where the last one ended.
        spans, chunks, spaced = self._spans, self._chunks, self._spaced
        while len(spans) <= i:
            chunk = chunks[len(spans)]
            start = spaced.find(chunk, self._pos)
            self._pos = start + len(chunk)
            spans.append((start, self._pos))
        return spans[i]

    def chunk_spans(self) -> list[tuple[int, int]]:
        """Where every word's chunk (the word with any edge punctuation) lies, located at
        once in one regex pass, for screens that visit every word."""
        if len(self._spans) < len(self._chunks):
            self._spans = [m.span() for m in _CHUNK_RE.finditer(self._spaced)]
            self._pos = len(self._spaced)
        return self._spans

    def word_span(self, i: int) -> tuple[int, int]:
        """``(start, end)`` of word ``i``, in the raw and the normalised text alike."""
        start, end = self._span_of_chunk(i)
        text = self.text
        if text[start] in _EDGE or text[end - 1] in _EDGE:
            chunk = text[start:end]
            start += len(chunk) - len(chunk.lstrip(_EDGE))
            end -= len(chunk) - len(chunk.rstrip(_EDGE))
        return start, max(start, end)

    def spans_of(self, word: str) -> list[tuple[int, int]]:
        """Spans of every occurrence of ``word``, found by searching the text rather than
        counting words, so that a word near the end costs no walk over all the others."""
        chunks: set[str] = set()
        words = self.words
        i = words.index(word) if word in words else -1
        while i >= 0:
            chunks.add(self._chunks[i])
            try:
                i = words.index(word, i + 1)
            except ValueError:
                i = -1
        spaced, text = self._spaced, self.text
        out: list[tuple[int, int]] = []
        for chunk in chunks:
            start = spaced.find(chunk)
            while start >= 0:
                end = start + len(chunk)
                if (start == 0 or spaced[start - 1].isspace()) and (
                    end == len(spaced) or spaced[end].isspace()
                ):
                    s, e = start, end
                    if text[s] in _EDGE or text[e - 1] in _EDGE:
                        s += len(chunk) - len(chunk.lstrip(_EDGE))
                        e -= len(chunk) - len(chunk.rstrip(_EDGE))
                    out.append((s, max(s, e)))
                start = spaced.find(chunk, end)
        return sorted(out)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Raw offsets covering words ``first`` to ``last`` inclusive."""
        return self.word_span(first)[0], self.word_span(last)[1]


def normalize(raw: str) -> Normalized:
    """Fold ``raw`` and split it into words."""
    return Normalized(raw, fold_text(raw))


def collapse_runs(word: str) -> str:
    """``word`` with every run of one repeated character reduced to one (``fuuuck`` -> ``fuck``)."""
    return _RUN_RE.sub(r"\1", word)


_RUN_RE = re.compile(r"(.)\1+", re.DOTALL)
