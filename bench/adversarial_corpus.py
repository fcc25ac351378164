"""Crafted comments that aim at the slow paths of rendering and screening (SPEC 3).

Each case is a comment of at most the maximum length (``MAX_LENGTH``, the default of
``BOARD_COMMENT_MAX_LENGTH``): long runs of every ASCII punctuation character, nested
brackets and emphasis, link-reference look-alikes, thousands of URLs and e-mail addresses,
digits joined by every separator the personal-information screen reads, combining marks,
mixed scripts, repeated letters, long words, and thousands of lines, list items and quote
levels. Shared by the timing test (``tests/unit/screening/test_adversarial_cost.py``) and
the benchmark (``bench/adversarial.py``); generated, so the file stays small.
"""
from __future__ import annotations

import string
from collections.abc import Iterator

from board.screening.render import MARKUP_BUDGET, markup_cost

MAX_LENGTH = 20_000

#: The rule of SPEC 3: rendering plus screening of any one comment, in seconds.
TARGET_SECONDS = 0.050

_SEPARATORS = " -.()#/,+_:;*\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u2009\u200b\u3000"
_SCRIPTS = (
    "Latin abc ", "Кириллица ", "Ελληνικά ", "العربية ", "עברית ", "हिन्दी ", "中文字 ",
    "日本語かな ", "한국어 ", "ไทย ", "ＦＵＬＬ ", "𝐟𝐮𝐥𝐥 ", "ⓕⓤ ", "😀👍🏽 ",
)


def _fill(unit: str, length: int = MAX_LENGTH) -> str:
    """``unit`` repeated up to ``length`` characters (cut at the limit)."""
    length = max(0, length)
    return (unit * (length // max(1, len(unit)) + 1))[:length]


def _nested(opening: str, middle: str, closing: str) -> str:
    """``opening * n + middle + closing * n`` at most ``MAX_LENGTH`` long."""
    n = (MAX_LENGTH - len(middle)) // (len(opening) + len(closing))
    return opening * n + middle + closing * n


def _cases() -> Iterator[tuple[str, str]]:
    # Runs of each ASCII punctuation character, alone, with letters and with spaces.
    for ch in string.punctuation:
        name = f"U+{ord(ch):04X}"
        yield f"run of {ch!r} ({name})", _fill(ch)
        yield f"{ch!r} and a letter ({name})", _fill(ch + "a")
        yield f"{ch!r} and a space ({name})", _fill(ch + " ")
    yield "half '(' then half ')'", _nested("(", "", ")")
    yield "half '[' then half ']'", _nested("[", "", "]")

    # Nested brackets, links and emphasis.
    yield "nested links [[[a](b)]]", _nested("[", "a", "](b)")
    yield "nested parentheses in a link", "[a](" + _fill("(", MAX_LENGTH - 4)
    yield "links in link text", _fill("[a](http://a.example/)[")
    yield "unclosed link openers", _fill("[a](")
    yield "unclosed link destinations", _fill("](<")
    yield "image-like openers", _fill("![")
    yield "autolink openers", _fill("<http://a")
    yield "angle-bracket autolinks", _fill("<http://a.example/> ")
    yield "emphasis openers", _fill("*a ")
    yield "emphasis closers", _fill(" a*")
    yield "mixed emphasis **_*", _fill("**_*a")
    yield "alternating * and _", _fill("*_")
    yield "underscores between letters", _fill("_a")
    yield "spaced underscores", _fill("_ ")
    yield "strong and emphasis runs", _fill("***a***b")
    yield "backtick runs of growing length", "".join(
        "`" * n + "a" for n in range(1, 200))[:MAX_LENGTH]
    yield "unmatched backtick runs", _fill("``a`")
    yield "escaped punctuation", _fill("\\*\\[\\(")
    yield "backslashes", _fill("\\")
    yield "entities", _fill("&amp;")
    yield "numeric entities", _fill("&#1234;")
    yield "broken entities", _fill("&#")
    yield "html-like tags", _fill("<a href=")
    yield "html comments", _fill("<!--")

    # Link references.
    yield "link reference definitions", _fill("[a]: http://a.example/\n")
    yield "reference links", _fill("[a][b]")
    yield "shortcut references", _fill("[a]")
    half = MAX_LENGTH // 2
    yield "definitions then uses", _fill("[x]: /u\n", half) + _fill("[x] ", half)
    yield "footnote-like references", _fill("[^1]")

    # URLs, e-mail addresses and things that look like them.
    yield "thousands of URLs", _fill("http://a.example/ ")
    yield "thousands of https URLs with paths", _fill("https://example.org/a/b?c=d#e ")
    yield "URLs without spaces", _fill("http://a.example/")
    yield "a URL of parentheses", "http://example.org/" + _fill("(", MAX_LENGTH - 19)
    yield "a URL of balanced parentheses", "http://example.org/" + _nested("(", "", ")")[19:]
    yield "www. runs", _fill("www.")
    yield "www. words", _fill("www.a ")
    yield "scheme runs", _fill("http://")
    yield "dots", _fill("a.")
    yield "domain-like words", _fill("a.co ")
    yield "thousands of e-mail addresses", _fill("a@b.co ")
    yield "e-mail addresses without spaces", _fill("a@b.co")
    yield "at signs", _fill("@")
    yield "at signs between letters", _fill("a@")
    yield "long local part", _fill("a.", MAX_LENGTH - 8) + "@b.co"
    yield "long domain", "a@" + _fill("b.", MAX_LENGTH - 4) + "co"
    yield "mailto links", _fill("[m](mailto:a@b.co) ")
    yield "blocked domain look-alikes", _fill("pornhub.com.")

    # Digits: every separator the personal-information screen reads.
    yield "digits", _fill("1")
    yield "digits and spaces", _fill("1 ")
    for sep in _SEPARATORS:
        yield f"digits separated by U+{ord(sep):04X}", _fill("1" + sep)
        yield f"digit groups separated by U+{ord(sep):04X}", _fill("123" + sep)
    yield "phone numbers", _fill("(202) 555-0143 ")
    yield "phone numbers without spaces", _fill("(202)555-0143")
    yield "card-like numbers", _fill("4111 1111 1111 1111 ")
    yield "SSN-like numbers", _fill("SSN 123-45-6789 ")
    yield "A-number context", _fill("A-number is 123 456 789 ")
    yield "receipt numbers", _fill("EAC1234567890 ")
    yield "full-width digits", _fill("１２３")
    yield "digits with markdown emphasis", _fill("1*2*3_4_")
    yield "digits with code spans", _fill("1`2`3")

    # Unicode: combining marks, mixed scripts, invisible characters.
    yield "combining marks on one letter", "a" + _fill("\u0301", MAX_LENGTH - 1)
    yield "combining marks alone", _fill("\u0301")
    yield "letters with many marks", _fill("a\u0301\u0302\u0303\u0304")
    yield "mixed scripts", _fill("".join(_SCRIPTS))
    yield "mixed scripts without spaces", _fill("".join(s.strip() for s in _SCRIPTS))
    yield "zero-width characters", _fill("\u200b")
    yield "zero-width between letters", _fill("f\u200bu\u200bc\u200bk\u200b")
    yield "soft hyphens", _fill("a\u00ad")
    yield "right-to-left marks", _fill("\u202e\u202d")
    yield "homoglyphs", _fill("ѕһіt ")
    yield "emoji sequences", _fill("👨\u200d👩\u200d👧\u200d👦")

    # Words: repeated letters, long words, spaced letters, profanity, shouting.
    yield "one repeated letter", _fill("a")
    yield "repeated letters with spaces", _fill("aaaa ")
    yield "a long word", _fill(string.ascii_lowercase)
    yield "spaced letters", _fill("f ")
    yield "spaced letters with dots", _fill("f.u.c.k.")
    yield "spaced letters that spell", _fill("f u c k ")
    yield "stretched letters", _fill("fuuuuuuuuuuck ")
    yield "leetspeak", _fill("$h!+ ")
    yield "profane words", _fill("fuck ")
    yield "listed phrases", _fill("i will kill you ")
    yield "capital letters", _fill("A")
    yield "apostrophes", _fill("a'")
    yield "word punctuation", _fill("@$*'!|+")
    yield "many distinct words", " ".join(
        f"w{n:x}" for n in range(MAX_LENGTH))[:MAX_LENGTH]

    # Lines, lists, quotes, code.
    yield "newlines", _fill("\n")
    yield "lines of one letter", _fill("a\n")
    yield "blank lines between paragraphs", _fill("a\n\n")
    yield "trailing spaces (hard breaks)", _fill("a  \n")
    yield "list items", _fill("- a\n")
    yield "ordered list items", _fill("1. a\n")
    yield "nested list items", "".join(
        "  " * n + "- a\n" for n in range(400))[:MAX_LENGTH]
    yield "nested list markers on one line", _fill("- ")
    yield "nested ordered markers on one line", _fill("1. ")
    yield "blockquote levels", _fill(">")
    yield "blockquote levels with text", _fill(">", MAX_LENGTH - 1) + "a"
    yield "quoted lists", _fill("> - ")
    yield "lines of quotes", _fill("> a\n")
    yield "indented code", _fill("    a\n")
    yield "fenced code openers", _fill("```\n")
    yield "tildes fences", _fill("~~~a\n")
    yield "tables", _fill("|a|b|\n|-|-|\n")
    yield "setext-like underlines", _fill("a\n===\n")
    yield "headings", _fill("# a\n")
    yield "tab indentation", _fill("\t")


_PROSE = "the council met on monday and agreed the plan for the river path "


def _within_budget(text: str) -> str:
    """The longest start of ``text`` still rendered as Markdown, then prose to the limit:
    the costliest comment of that kind that does not fall back to plain text."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if markup_cost(text[:middle]) <= MARKUP_BUDGET:
            low = middle
        else:
            high = middle - 1
    head = text[:min(low, MAX_LENGTH - 2)]
    return head + "\n\n" + _fill(_PROSE, MAX_LENGTH - len(head) - 2)


def _all_cases() -> Iterator[tuple[str, str]]:
    for name, text in _cases():
        yield name, text
        if markup_cost(text) > MARKUP_BUDGET:
            yield f"{name}, up to the markup budget", _within_budget(text)


#: ``(name, comment)`` for every case, in a stable order.
CASES: list[tuple[str, str]] = list(_all_cases())

assert all(len(text) <= MAX_LENGTH for _, text in CASES), \
    [name for name, text in CASES if len(text) > MAX_LENGTH]
assert len({name for name, _ in CASES}) == len(CASES), "case names must be unique"
