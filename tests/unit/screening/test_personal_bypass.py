"""Personal information split by Markdown or disguised with Unicode is still detected and
masked in the public HTML; ordinary numbers and Markdown are left alone.

Each attack is checked against the text a reader sees in the HTML, extracted here with the
standard library's parser and folded independently of the code under test.
"""
from __future__ import annotations

import time
import unicodedata
from html.parser import HTMLParser

import pytest
from helpers_screening import LISTS, QUIET, flags_of
from safety_screening import assert_safe_html

from board.screening import personal
from board.screening.pipeline import MASK, process
from board.screening.render import render_markdown

# kind: (sentence around it, how it is usually written, what must never be readable)
KINDS = {
    "phone": ("Call me on {} tonight.", "202-555-0143", "2025550143", personal.PHONE),
    "ssn": ("My SSN is {} if needed.", "123-45-6789", "123456789", personal.SSN),
    "a_number": ("My A-number is {} now.", "A-123-456-789", "123456789", personal.A_NUMBER),
    "card": ("Use card {} please.", "4111-1111-1111-1111", "4111111111111111", personal.CARD),
    "email": ("Write to {} soon.", "jane.doe@example.com", "jane.doe@example.com",
              personal.EMAIL),
}

MARKDOWN = {
    "phone": ["202-*555*-0143", "202-`555`-0143", "**202**-555-0143", "202-_555_-0143",
              "*202-555*-0143", "202-***555***-0143"],
    "ssn": ["123-*45*-6789", "123-`45`-6789", "**123**-45-6789", "123-45-*6789*"],
    "a_number": ["A-*123*-456-789", "A-123-`456`-789", "**A-123**-456-789"],
    "card": ["**4111** 1111 1111 1111", "4111 *1111* 1111 1111", "4111 `1111` 1111 1111",
             "4111-**1111**-1111-1111"],
    "email": ["jane.doe@*example*.com", "jane.doe@`example`.com", "*jane*.doe@example.com",
              "jane.doe@**example**.com", "jane.doe@example.*com*"],
}
DASHES = {"en dash": "\u2013", "em dash": "\u2014", "minus sign": "\u2212",
          "figure dash": "\u2012", "non-breaking hyphen": "\u2011", "hyphen": "\u2010"}
SPACES = {"no-break space": "\u00a0", "narrow no-break space": "\u202f",
          "figure space": "\u2007", "ideographic space": "\u3000"}
INVISIBLE = {"zero-width space": "\u200b", "zero-width non-joiner": "\u200c",
             "zero-width joiner": "\u200d", "word joiner": "\u2060",
             "byte order mark": "\ufeff", "soft hyphen": "\u00ad"}
DIGITS = {"full-width": 0xFF10, "Arabic-Indic": 0x0660, "Devanagari": 0x0966,
          "mathematical bold": 0x1D7CE}
SPACED = {"phone": "202 555 0143", "ssn": "123 45 6789", "a_number": "A 123 456 789",
          "card": "4111 1111 1111 1111"}


def _digits(written: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in written)


def _attacks() -> list[tuple[str, str, str]]:
    """``(kind, attack name, what the author writes in place of the plain form)``."""
    cases = []
    for kind, (_, written, _, _) in KINDS.items():
        cases += [(kind, f"markdown {form!r}", form) for form in MARKDOWN[kind]]
        if "-" in written:
            cases += [(kind, name, written.replace("-", ch)) for name, ch in DASHES.items()]
        if kind in SPACED:
            cases += [(kind, name, SPACED[kind].replace(" ", ch)) for name, ch in SPACES.items()]
        for name, ch in INVISIBLE.items():
            cases.append((kind, f"{name} inside", ch.join(written[i:i + 2]
                                                          for i in range(0, len(written), 2))))
        if kind != "email":
            cases += [(kind, f"{name} digits", _digits(written, zero))
                      for name, zero in DIGITS.items()]
    cases += [
        ("email", "full-width address",
         "".join(chr(ord(c) + 0xFEE0) for c in "jane.doe@example.com")),
        ("email", "full-width at sign", "jane.doe\uff20example.com"),
        ("phone", "everything at once", "２０２\u2013*5\u200b55*\u2013`0143`"),
        ("ssn", "escaped dashes", "123\\-45\\-6789"),
        ("ssn", "entity dashes", "123&#8211;45&#x2013;6789"),
        ("card", "emphasis and no-break spaces", "**4111**\u00a01111\u00a0*1111*\u00a01111"),
        ("email", "entity at sign and emphasis", "jane.doe&#64;*example*.com"),
    ]
    return cases


ATTACKS = _attacks()


class _Reader(HTMLParser):
    """The text of an HTML fragment as a browser shows it (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown(markup: str) -> str:
    """The visible text of ``markup``, folded the way a reader reads it."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    out = []
    for ch in "".join(reader.parts):
        category = unicodedata.category(ch)
        if category in ("Cf", "Mn") or ch in "*_`":
            continue
        if unicodedata.decimal(ch, None) is not None:
            out.append(str(unicodedata.decimal(ch)))
        elif category == "Pd" or ch == "\u2212":
            out.append("-")
        else:
            out.append(unicodedata.normalize("NFKC", ch))
    return "".join(out)


def readable(secret: str, markup: str) -> bool:
    """Could a reader of ``markup`` read ``secret`` (digits in order, or the address)?"""
    text = shown(markup)
    if "@" in secret:
        return secret in text or secret.split("@")[1] in text
    return secret in "".join(c for c in text if c.isdigit())


@pytest.mark.parametrize("kind, attack, written", ATTACKS,
                         ids=[f"{kind}: {name}" for kind, name, _ in ATTACKS])
def test_attack_is_flagged_and_masked(kind: str, attack: str, written: str) -> None:
    sentence, _, secret, detail = KINDS[kind]
    text = sentence.format(written)
    assert readable(secret, render_markdown(text)), "the attack must show the data unmasked"

    result = process(text, QUIET, LISTS)
    found = [f for f in result.flags if f.code == "personal_information"]
    assert [f.detail for f in found] == [detail], found
    assert not readable(secret, result.html), result.html
    assert MASK in result.html
    assert_safe_html(result.html)
    assert result.html.count("<") == render_markdown(text).count("<")  # every tag kept


@pytest.mark.parametrize("kind, attack, written", ATTACKS,
                         ids=[f"{kind}: {name}" for kind, name, _ in ATTACKS])
def test_moderators_see_where_it_was_written(kind: str, attack: str, written: str) -> None:
    """Flags point at the raw text the author wrote, markers and invisible characters included."""
    sentence, _, _, detail = KINDS[kind]
    text = sentence.format(written)
    start = text.index(written)
    for flags in (flags_of(text, "personal_information"),
                  [f for f in process(text, QUIET, LISTS).flags
                   if f.code == "personal_information"]):
        [flag] = flags
        assert flag.detail == detail and flag.span is not None
        assert text[flag.span[0]:flag.span[1]].strip("*_`") == written.strip("*_`"), flag.span
        assert start <= flag.span[0] and flag.span[1] <= start + len(written)


@pytest.mark.parametrize("text, secret, detail", [
    ("SS# is 521.84.3307", "521843307", personal.SSN),
    ("my social: 345678901", "345678901", personal.SSN),
    ("call 718\u2013555\u20130162", "7185550162", personal.PHONE),
    ("[mail me](mailto:jane.doe%40example.com)", "jane.doe@example.com", personal.EMAIL),
    ("[202](https://example.org)-555-0143 call me", "2025550143", personal.PHONE),
    ("see www.example.org/?tel=202-555-0143 now", "2025550143", personal.PHONE),
])
def test_more_disguises(text: str, secret: str, detail: str) -> None:
    result = process(text, QUIET, LISTS)
    assert [f.detail.split(" (")[0] for f in result.flags
            if f.code == "personal_information"][:1] == [detail]
    assert not readable(secret, result.html) and secret not in result.html.replace("%40", "@")
    assert_safe_html(result.html)


def test_a_link_whose_address_holds_personal_information_loses_it() -> None:
    result = process("[write to me](mailto:jane.doe%40example.com) or *not*", QUIET, LISTS)
    assert "href" not in result.html and "example" not in result.html
    assert f">{MASK}</a> or <em>not</em>" in result.html
    assert_safe_html(result.html)


@pytest.mark.parametrize("text", [
    "On 2026\u201311\u201323 we met, and again on 11/23/2026 and 23.11.2026.",
    "It costs $1\u00a0234.56, or \u20ac\u00a01.234,56, or **$99**.",
    "Version 10.15.7, v1\u20132\u20133, build 2026.11.23.1 and `pip install board==1.2.3`.",
    "We live at 1600\u00a0Pennsylvania Avenue, and they at 12 *Main* Street, apt 4.",
    "The years 1999\u20132026, pages 120\u2013135 and chapter **3**.",
    "ISBN 978\u20110\u2011306\u201140615\u20117",
    "Score: **3**\u2013**2** after *90* minutes, 2\u00a0000 fans.",
    "Population 38\u202f336\u202f817 in `2026`.",
    "order 123\u00a0456\u00a0789 shipped",
    "ref 2025550143",
    "Meet @ 5pm, ping @jane, or user@localhost.",
    "- item 1\n- item 2\n\n1. first\n2. second\n\n> quoted in 2026",
    "Call me **maybe**, write via the *contact* form, `code` and _emphasis_.",
    "IP 192.168.100.200 and room 101, floor 3.",
    "\u0661\u0669\u0669\u0669 was a year like **2026**.",
])
def test_hard_negatives(text: str) -> None:
    result = process(text, QUIET, LISTS)
    assert [f for f in result.flags if f.code == "personal_information"] == []
    assert result.html == render_markdown(text)


ADVERSARIAL = {
    "digits and separators": "1-2\u2013*3*\u200b4\u00a05`6`7 ",
    "e-mail addresses": "a.b@*c*.co ",
    "invisible between digits": "1\u200b",
    "phones split by emphasis": "202-*555*-0143 ",
    "entities": "a&#64;b.co &#45;1 ",
    "links with addresses": "[m](mailto:a%40b.co) ",
}


def _cost(text: str) -> float:
    markup = render_markdown(text)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        personal.check(text, None, QUIET, LISTS)  # type: ignore[arg-type]
        personal.mask_html(markup, text, [], MASK)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_detection_and_masking_grow_linearly(name: str) -> None:
    """Four times the text costs about four times as much, never sixteen (generous bounds)."""
    unit = ADVERSARIAL[name]
    small = (unit * (5_000 // len(unit) + 1))[:5_000]
    large = (unit * (20_000 // len(unit) + 1))[:20_000]
    small_cost, large_cost = _cost(small), _cost(large)
    assert large_cost < 1.0, large_cost
    assert large_cost < 8 * small_cost + 0.005, (small_cost, large_cost)


def test_a_flood_is_masked_whole_with_a_bounded_number_of_flags() -> None:
    numbers = [f"202-555-{n:04d}" for n in range(100, 400)]
    result = process("Call " + ", ".join(numbers), QUIET, LISTS)
    personal_flags = [f for f in result.flags if f.code == "personal_information"]
    assert len(personal_flags) == personal.MAX_FLAGS
    assert not any(number in result.html for number in numbers)
    assert "555" not in result.html
