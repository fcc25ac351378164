"""Word and phrase matching in time linear in the comment's length.

better-profanity compares every word of a comment against each of its ~900 list words
(each a ``VaryingString`` that expands leetspeak on the fly), which costs ~45 ms per
200 characters. Here the lists are indexed once per :class:`~.wordlists.WordLists`:

- single words by a *skeleton* (leetspeak look-alikes folded into one class, repeated
  letters collapsed), so a comment word costs one dict lookup; the few candidates that
  share its skeleton are then checked with better-profanity's own substitution table;
- phrases (multi-word list entries, threat / unlawful / defamation / obscene phrases and
  the allowlist) by a trie over per-word keys, walked once over the comment's words.

Every comment word's result is memoised per matcher, so common words cost a dict hit.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from .normalize import Normalized, collapse_runs, fold_text, split_words

# better-profanity's leetspeak table (list letter -> what may stand for it in a comment),
# extended with ! and | for i, | for l and + for t, which it misses ("sh!t", "shi+").
_BP_MAP = {
    "a": "a@*4", "i": "i*l1", "o": "o*0@", "u": "u*v", "v": "v*u",
    "l": "l1", "e": "e*3", "s": "s$5", "t": "t7",
}
_EXTRA = {"i": "!|", "l": "|", "t": "+"}
VARIANTS: dict[str, frozenset[str]] = {
    ch: frozenset(ch + _BP_MAP.get(ch, "") + _EXTRA.get(ch, ""))
    for ch in set(_BP_MAP) | set(_EXTRA)
}

# Skeleton classes: characters that may stand for one another (except "*", which stands
# for any vowel and is handled separately) share one representative.
_CLASSES = {
    "a": "a", "@": "a", "4": "a", "o": "a", "0": "a",
    "i": "i", "l": "i", "1": "i", "!": "i", "|": "i",
    "u": "u", "v": "u", "e": "e", "3": "e", "s": "s", "$": "s", "5": "s",
    "t": "t", "7": "t", "+": "t",
}
_CLASS_TABLE = str.maketrans(_CLASSES)

# For phrase keys: one reading of each leetspeak symbol (letters are left alone).
_DELEET_TABLE = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
     "!": "i", "|": "i", "+": "t", "'": None, "*": None}
)

#: A repeated letter counts as one only from this many repetitions ("fuuuck"), so real
#: words that differ from a listed word by a double letter ("annal" vs "anal") still differ.
STRETCH = 3

#: Longest run of spaced single letters ("f u c k") examined, and longest word sought in it.
_MAX_SPACED_RUN = 64
_SPACED_GAP_CHARS = frozenset(" .-,/\\~:;_")

_MEMO_LIMIT = 100_000

#: Hits kept per kind and pass over one comment: screens report the first 20 flags, and a
#: comment that repeats one word thousands of times would otherwise cost a span each.
HIT_LIMIT = 100


def skeleton(word: str) -> str:
    """The index key of a word: look-alike classes, repeated letters collapsed."""
    return collapse_runs(word.translate(_CLASS_TABLE))


def phrase_key(word: str) -> str:
    """The trie key of one word of a phrase: leetspeak read once, repeats collapsed."""
    return collapse_runs(word.translate(_DELEET_TABLE))


def _char_ok(text_ch: str, list_ch: str) -> bool:
    return text_ch == list_ch or text_ch in VARIANTS.get(list_ch, ())


def _stretch_ok(text_run: str, list_run: str) -> bool:
    """Does a run of look-alike characters in the comment stand for the listed run?"""
    if len(text_run) == len(list_run):
        return all(_char_ok(t, c) for t, c in zip(text_run, list_run))
    if len(text_run) >= STRETCH and len(text_run) > len(list_run) and len(set(list_run)) == 1 \
            and list_run[0].isalpha():
        return all(_char_ok(t, list_run[0]) for t in text_run)
    return False


def _class_runs(word: str) -> list[str]:
    classes = word.translate(_CLASS_TABLE)
    out: list[str] = []
    i = 0
    for _, group in groupby(classes):
        n = len(list(group))
        out.append(word[i:i + n])
        i += n
    return out


def word_matches(text_word: str, list_word: str) -> bool:
    """better-profanity's equality (position by position through the leetspeak table),
    extended so that a letter repeated ``STRETCH`` times or more stands for its run."""
    if "*" in text_word:
        return len(text_word) == len(list_word) and all(
            _char_ok(t, c) for t, c in zip(text_word, list_word)
        )
    text_runs, list_runs = _class_runs(text_word), _class_runs(list_word)
    return len(text_runs) == len(list_runs) and all(
        _stretch_ok(t, c) for t, c in zip(text_runs, list_runs)
    )


@lru_cache(maxsize=65_536)
def _phrase_word_ok(text_word: str, list_word: str) -> bool:
    """Same key is given; check that repeats in the comment are real stretches."""
    a = text_word.translate(_DELEET_TABLE)
    b = list_word.translate(_DELEET_TABLE)
    if a == b:
        return True
    ra = [(k, len(list(g))) for k, g in groupby(a)]
    rb = [(k, len(list(g))) for k, g in groupby(b)]
    return len(ra) == len(rb) and all(
        ca == cb and (na == nb or (na >= STRETCH and na > nb and ca.isalpha()))
        for (ca, na), (cb, nb) in zip(ra, rb)
    )


def split_entry(entry: str) -> list[str]:
    """A list entry as the words the matcher sees (same normalisation as comments).

    A "+" in a list entry is a "t" ("shi+"): as a word's last character it would
    otherwise be trimmed and list "shi".
    """
    return [w for w in split_words(fold_text(entry.strip().replace("+", "t"))) if w]


@dataclass(frozen=True)
class Hit:
    """A list entry found in a comment, at ``[start, end)`` of the raw text."""

    category: str
    entry: str
    start: int
    end: int
    how: str = ""


class _Node:
    __slots__ = ("children", "ends")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        # (category, entry as listed, its words, the separators a domain name needs)
        self.ends: list[tuple[str, str, tuple[str, ...], tuple[str, ...] | None]] = []


class Matcher:
    """Compiled word lists; build once per list version and reuse for every comment."""

    def __init__(
        self,
        profanity: Iterable[str],
        allow: Iterable[str],
        phrases: Mapping[str, Iterable[str]],
        domains: Iterable[str] = (),
    ) -> None:
        allow_words: set[str] = set()
        self._trie = _Node()
        self.max_word_len = 0
        for entry in allow:
            words = split_entry(entry)
            if len(words) == 1:
                allow_words.add(words[0])
            elif words:
                self._add_phrase("allow", entry, words)
        # Skeleton index of single words; "*" in a listed word only matches "*" itself.
        self._index: dict[str, list[str]] = {}
        self._by_length: dict[int, list[str]] = {}
        for entry in profanity:
            words = split_entry(entry)
            if not words:
                continue
            if len(words) > 1:
                self._add_phrase("profanity", entry, words)
                continue
            word = words[0]
            if word in allow_words:
                continue
            bucket = self._index.setdefault(skeleton(word), [])
            if word not in bucket:
                bucket.append(word)
                self._by_length.setdefault(len(word), []).append(word)
                self.max_word_len = max(self.max_word_len, len(word))
        for bucket in self._index.values():
            bucket.sort()  # deterministic, and "fuck" is reported before "fvck"
        for bucket in self._by_length.values():
            bucket.sort()
        self._prefixes = frozenset(
            key[:k] for key in self._index for k in range(1, len(key) + 1)
        )
        # Spaced letters spell a listed word only with three letters or more: a skeleton of
        # one or two classes needs a class repeated ("f f f" for "fff", "a s s" for "ass").
        self._long_keys = tuple(key for key in self._index if len(key) >= 3)
        # (found by str.find: a regex like "a{2,}s" backtracks over every run of "a")
        self._short_patterns = tuple(sorted(
            pattern for key in self._index if len(key) < 3
            for pattern in ((key * 3,) if len(key) == 1 else
                            (key[0] + key, key + key[1]))))
        for category, entries in phrases.items():
            for entry in entries:
                words = split_entry(entry)
                if words:
                    self._add_phrase(category, entry, words)
        for domain in domains:
            words = split_entry(domain)
            if len(words) > 1:
                separators = tuple(_DOMAIN_SEPARATORS_RE.findall(domain.strip().lower()))
                if len(separators) == len(words) - 1:
                    self._add_phrase("domain", domain, words, separators)
        self._root_keys = frozenset(self._trie.children)
        # Memo of every word seen: its phrase key, and whether it is profane.
        self._keys: dict[str, str] = {}
        self._profane: dict[str, str] = {}

    def _add_phrase(self, category: str, entry: str, words: list[str],
                    separators: tuple[str, ...] | None = None) -> None:
        if not all(phrase_key(word) for word in words):
            return  # a word of symbols only ("***") would match any such run
        node = self._trie
        for word in words:
            node = node.children.setdefault(phrase_key(word), _Node())
        node.ends.append((category, entry.strip().lower(), tuple(words), separators))

    # -- single words ---------------------------------------------------------------

    def _lookup_one(self, word: str) -> str | None:
        if "*" in word:
            for candidate in self._by_length.get(len(word), ()):
                if word_matches(word, candidate):
                    return candidate
            return None
        bucket = self._index.get(skeleton(word), ())
        if word in bucket:
            return word
        for candidate in bucket:
            if word_matches(word, candidate):
                return candidate
        return None

    def lookup(self, word: str) -> str | None:
        """The listed profane word that ``word`` spells, if any."""
        found = self._lookup_one(word)
        if found is None:
            stripped = word.strip("*")
            if stripped and stripped != word:
                found = self._lookup_one(stripped)
            if found is None and "'" in stripped:
                # "fuck's", "shit'll": the word before the apostrophe.
                head = stripped.split("'", 1)[0]
                if head:
                    found = self._lookup_one(head)
        return found

    def _learn(self, words: Iterable[str]) -> None:
        if len(self._keys) > _MEMO_LIMIT:
            self._keys.clear()
            self._profane.clear()
        for word in words:
            self._keys[word] = phrase_key(word)
            found = self.lookup(word) if word else None
            if found is not None:
                self._profane[word] = found

    # -- a whole comment -------------------------------------------------------------

    def scan(self, norm: Normalized) -> list[Hit]:
        """Every list entry found in the comment (profanity after the allowlist)."""
        cached = norm.cache.get(self)
        if cached is not None:
            return cached
        words = norm.words
        distinct = set(words)
        if not self._keys.keys() >= distinct:
            self._learn(distinct.difference(self._keys))
        keys = list(map(self._keys.__getitem__, words))
        hits: list[Hit] = []
        for word in self._profane.keys() & distinct:
            found = self._profane[word]
            hits.extend(Hit("profanity", found, start, end)
                        for start, end in norm.spans_of(word)[:HIT_LIMIT])
        if norm.may_spell_letters():
            hits.extend(self._spaced(norm))
        if not self._root_keys.isdisjoint(keys):
            hits.extend(self._walk(norm, words, keys))
        if hits:
            allowed = [(h.start, h.end) for h in hits if h.category == "allow"]
            hits = [
                h for h in hits
                if h.category != "allow" and not (
                    h.category == "profanity"
                    and any(a <= h.start and h.end <= b for a, b in allowed)
                )
            ]
            hits = _drop_nested(hits)
        norm.cache[self] = hits
        return hits

    def _walk(self, norm: Normalized, words: list[str], keys: list[str]) -> list[Hit]:
        root = self._trie.children
        hits: list[Hit] = []
        n = len(keys)
        found: dict[str, int] = {}
        for i in [i for i, key in enumerate(keys) if key in root]:
            node: _Node | None = root[keys[i]]
            j = i
            while node is not None:
                for category, entry, listed, separators in node.ends:
                    if found.get(category, 0) >= HIT_LIMIT:
                        continue
                    if all(_phrase_word_ok(words[i + k], w) for k, w in enumerate(listed)):
                        start, end = norm.span(i, j)
                        if separators is not None and not _domain_ok(norm, i, j, separators):
                            continue
                        hits.append(Hit(category, entry, start, end))
                        found[category] = found.get(category, 0) + 1
                j += 1
                if j >= n or not node.children:
                    break
                node = node.children.get(keys[j])
        return hits

    def _spaced(self, norm: Normalized) -> list[Hit]:
        """Profanity spelled in single letters: "f u c k", "f.u.c.k", "s-h-1-t"."""
        words, text = norm.words, norm.text
        # A run can only spell a listed word whose skeleton occurs in the skeleton of all
        # single letters together (a run's skeleton is part of it): most texts stop here.
        singles = [i for i, w in enumerate(words) if len(w) == 1]
        if len(singles) < 3:
            return []
        letters = "".join([words[i] for i in singles])
        classes = letters.translate(_CLASS_TABLE)
        shapes = collapse_runs(classes)
        if not (any(key in shapes for key in self._long_keys)
                or any(pattern in classes for pattern in self._short_patterns)):
            return []
        hits: list[Hit] = []
        run: list[int] = []

        def flush() -> None:
            if len(run) >= 3:
                hits.extend(self._search_run(norm, run))
            run.clear()

        spans = norm.chunk_spans()
        last_end = last = -2
        for i in singles:
            start, end = spans[i]
            if end - start != 1:  # edge punctuation or invisible characters around it
                start, end = norm.word_span(i)
            if i != last + 1:
                flush()  # a longer word came between
            elif run:
                gap = text[last_end:start]
                if not (0 < len(gap) <= 3 and _SPACED_GAP_CHARS.issuperset(gap)):
                    flush()
            last = i
            run.append(i)
            last_end = end
            if len(run) >= _MAX_SPACED_RUN:
                flush()
                if len(hits) >= HIT_LIMIT:
                    break
        flush()
        return hits

    def _search_run(self, norm: Normalized, run: list[int]) -> list[Hit]:
        """The longest listed word starting at each letter of a run of single letters.

        Extending a candidate stops as soon as its skeleton is no prefix of a listed
        word's skeleton, so a long run of random letters costs little.
        """
        letters = "".join(norm.words[i] for i in run)
        classes = letters.translate(_CLASS_TABLE)
        prefixes, index = self._prefixes, self._index
        hits: list[Hit] = []
        i, n = 0, len(letters)
        longest = self.max_word_len + 8  # room for stretched letters ("f u u u u c k")
        # Where the run of one look-alike class holding each letter ends: within it the
        # skeleton does not change, so a skeleton that is no listed word is skipped at once.
        run_end = list(range(1, n + 1))
        for k in range(n - 2, -1, -1):
            if classes[k] == classes[k + 1]:
                run_end[k] = run_end[k + 1]
        while i < n - 2:
            best: tuple[int, str] | None = None
            shape = ""
            j, stop = i, min(n, i + longest)
            while j < stop:
                if not shape or shape[-1] != classes[j]:
                    shape += classes[j]
                if shape not in prefixes:
                    break
                if shape not in index:
                    j = run_end[j]
                    continue
                if j - i >= 2:
                    found = self.lookup(letters[i:j + 1])
                    if found is not None:
                        best = (j + 1, found)
                j += 1
            if best is None:
                i += 1
                continue
            end_letter, found = best
            start, end = norm.span(run[i], run[end_letter - 1])
            hits.append(Hit("profanity", found, start, end, "spaced letters"))
            i = end_letter
        return hits


_DOMAIN_SEPARATORS_RE = re.compile(r"[.-]")


def _domain_ok(norm: Normalized, i: int, j: int, separators: tuple[str, ...]) -> bool:
    """A domain's words must be joined by its own dots and hyphens, and not continue a
    longer name to the left ("my-pornhub.com" is another domain; "a.pornhub.com" is not)."""
    text = norm.text
    for k, sep in enumerate(separators):
        if text[norm.word_span(i + k)[1]:norm.word_span(i + k + 1)[0]] != sep:
            return False
    before = norm.word_span(i)[0]
    return before == 0 or text[before - 1] not in "-@"


def _drop_nested(hits: list[Hit]) -> list[Hit]:
    """Keep one hit per category and place: the longest ("mother fucker" over "fucker")."""
    hits.sort(key=lambda h: (h.category, h.start, -h.end))
    out: list[Hit] = []
    for h in hits:
        if out and out[-1].category == h.category and out[-1].start <= h.start \
                and h.end <= out[-1].end:
            continue
        out.append(h)
    out.sort(key=lambda h: (h.start, h.category))
    return out
