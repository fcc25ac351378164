"""Personal-information screen: US SSNs, USCIS numbers, phones, e-mails, payment cards.

Every match is masked in the public HTML and in logs (:func:`.pipeline.mask_personal`),
so a flag's ``detail`` names the kind of data and never repeats it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .activity import AuthorActivity
from .flags import Flag, Severity
from .normalize import Normalized

SSN = "US Social Security number"
A_NUMBER = "USCIS A-number"
RECEIPT = "USCIS receipt number"
PHONE = "US phone number"
EMAIL = "e-mail address"
CARD = "payment card number"

SEVERITY = {
    SSN: Severity.BLOCK, A_NUMBER: Severity.BLOCK, RECEIPT: Severity.BLOCK,
    CARD: Severity.BLOCK, PHONE: Severity.WARN, EMAIL: Severity.WARN,
}

# Not preceded or followed by more of a number: a word character, or a separator that
# continues one (so "123-456-7890123", "20500-0003" and "1.2.3" are not read as parts).
_B = r"(?<![\w$.,/-])"
_E = r"(?![\w/-]|[.,]\d)"

_SSN_RE = re.compile(_B + r"(\d{3})([- ])(\d{2})\2(\d{4})" + _E)
_SSN_BARE_RE = re.compile(_B + r"(\d{3})(\d{2})(\d{4})" + _E)
_SSN_CONTEXT_RE = re.compile(
    r"(?i)(?:\bssn|social[ -]security|\bsoc\.? ?sec|\bss ?#|\bss ?no\b|\btaxpayer)[^\n]{0,30}$"
)
_A_NUMBER_RE = re.compile(
    r"(?<![\w-])A(?:[ ]?[-#][ ]?|[ ])?(\d{3}[ -]?\d{3}[ -]?\d{3}|\d{2}[ -]?\d{3}[ -]?\d{3})" + _E
)
_A_NUMBER_CONTEXT_RE = re.compile(
    r"(?i)\b(?:a[- ]?(?:number|no\.?|#)|alien (?:registration )?(?:number|no\.?|#)"
    r"|uscis (?:number|no\.?|#))\W{0,4}(?:is\W{0,3})?"
    r"(\d{3}[ -]?\d{3}[ -]?\d{3}|\d{2}[ -]?\d{3}[ -]?\d{3})" + _E
)
_RECEIPT_RE = re.compile(
    r"(?<![\w-])(?i:eac|wac|lin|src|nbc|msc|ioe|ysc)[ -]?(?:\d{10}|\d{2}[ -]\d{3}[ -]\d{5})"
    + _E
)
_PHONE_RE = re.compile(
    r"(?<![\w$+.,/-])(\+ ?1[ .-]?|1[ .-])?"
    r"(?:\((\d{3})\) ?|(\d{3})([ .-]?))"
    r"(\d{3})([ .-]?)(\d{4})" + _E
)
_PHONE_CONTEXT_RE = re.compile(
    r"(?i)(?:\bcall|\bphone|\btel\b|\btel\.|\bcell|\bmobile|\btext|\btxt|\bwhatsapp|\bfax"
    r"|\breach me|\bsms)[^\n]{0,25}$"
)
_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[\w](?:[\w.%+'-]{0,63})@(?:[\w](?:[\w-]{0,61}[\w])?\.)+[^\W\d_]{2,24}(?![\w-])"
)
_CARD_RE = re.compile(r"(?<![\w$.,/-])(?<!\d[ -])\d(?:[ -]?\d){12,18}(?![\w/-]|[.,]\d|[ -]\d)")


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a digit string."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ssn_ok(area: str, group: str, serial: str) -> bool:
    """Could this be an issued SSN? (no area 000, 666 or 9xx, group 00, serial 0000)"""
    a = int(area)
    return a != 0 and a != 666 and a < 900 and int(group) != 0 and int(serial) != 0


def _card_ok(digits: str) -> bool:
    if not 13 <= len(digits) <= 19 or not luhn_ok(digits):
        return False
    # Issuer prefixes of the card networks (Visa 4, Mastercard 51-55 and 2221-2720,
    # Amex/Diners/JCB 3, Discover/UnionPay/Maestro 5-6): most other long numbers are not cards.
    if digits[0] == "2":
        return 2221 <= int(digits[:4]) <= 2720
    return digits[0] in "3456"


def _nanp_ok(area: str, exchange: str) -> bool:
    return area[0] in "23456789" and exchange[0] in "23456789" and area[1:] != "11" \
        and exchange[1:] != "11"


Finding = tuple[str, int, int]


def _ssns(text: str, pos: int, endpos: int) -> Iterator[Finding]:
    for m in _SSN_RE.finditer(text, pos, endpos):
        if ssn_ok(m.group(1), m.group(3), m.group(4)):
            yield SSN, m.start(), m.end()
    for m in _SSN_BARE_RE.finditer(text, pos, endpos):
        if ssn_ok(m.group(1), m.group(2), m.group(3)) and _SSN_CONTEXT_RE.search(
            text, max(0, m.start() - 45), m.start()
        ):
            yield SSN, m.start(), m.end()


def _a_numbers(text: str, pos: int, endpos: int) -> Iterator[Finding]:
    for m in _A_NUMBER_RE.finditer(text, pos, endpos):
        yield A_NUMBER, m.start(), m.end()
    for m in _A_NUMBER_CONTEXT_RE.finditer(text, pos, endpos):
        yield A_NUMBER, m.start(1), m.end(1)


def _receipts(text: str, pos: int, endpos: int) -> Iterator[Finding]:
    for m in _RECEIPT_RE.finditer(text, pos, endpos):
        yield RECEIPT, m.start(), m.end()


def _phones(text: str, pos: int, endpos: int) -> Iterator[Finding]:
    for m in _PHONE_RE.finditer(text, pos, endpos):
        prefix, paren_area, area, sep1, exchange, sep2, _ = m.groups()
        area = paren_area or area
        if not _nanp_ok(area, exchange):
            continue
        if not (paren_area or sep1 or sep2 or (prefix and "+" in prefix)):
            # Ten bare digits are as likely an order or account number: only with context.
            if not _PHONE_CONTEXT_RE.search(text, max(0, m.start() - 40), m.start()):
                continue
        yield PHONE, m.start(), m.end()


def _emails(text: str, pos: int, endpos: int) -> Iterator[Finding]:
    for m in _EMAIL_RE.finditer(text, pos, endpos):
        yield EMAIL, m.start(), m.end()


def _cards(text: str, pos: int, endpos: int) -> Iterator[Finding]:
    for m in _CARD_RE.finditer(text, pos, endpos):
        if _card_ok(_digits(m.group())):
            yield CARD, m.start(), m.end()


Finder = Callable[[str, int, int], Iterator[Finding]]
_NUMBER_FINDERS: tuple[Finder, ...] = (_ssns, _a_numbers, _receipts, _cards, _phones)

# Every number above has at least 8 digits in one run with short separators. The finders
# run only in windows around such runs (with room for "A# ", "EAC", "SSN is ..." before),
# so prose costs one cheap scan instead of one scan per pattern.
_NUMBER_RUN_RE = re.compile(r"\d(?:[ ().#/-]{0,3}\d){7,}")
_BEFORE = 45
_AFTER = 3
_EMAIL_LOCAL_MAX = 65
_EMAIL_DOMAIN_MAX = 256


def _windows(text: str, spans: Iterator[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = max(0, start), min(len(text), end)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _at_signs(text: str) -> Iterator[tuple[int, int]]:
    i = text.find("@")
    while i >= 0:
        yield i - _EMAIL_LOCAL_MAX, i + _EMAIL_DOMAIN_MAX
        i = text.find("@", i + 1)
_RANK = {SSN: 0, A_NUMBER: 0, RECEIPT: 0, CARD: 0, PHONE: 1, EMAIL: 1}


def find(text: str) -> list[Finding]:
    """Every piece of personal information in ``text``, without overlaps, in order.

    Where two findings overlap the more serious (then the longer) one wins.
    """
    found: list[Finding] = []
    number_windows = _windows(text, (
        (m.start() - _BEFORE, m.end() + _AFTER) for m in _NUMBER_RUN_RE.finditer(text)
    ))
    for pos, endpos in number_windows:
        for finder in _NUMBER_FINDERS:
            found.extend(finder(text, pos, endpos))
    if "@" in text:
        for pos, endpos in _windows(text, _at_signs(text)):
            found.extend(_emails(text, pos, endpos))
    found.sort(key=lambda f: (f[1], -f[2]))
    kept: list[Finding] = []
    for item in found:
        if kept and item[1] < kept[-1][2]:
            if _better(item, kept[-1]):
                kept[-1] = item
            continue
        kept.append(item)
    return kept


def _better(a: Finding, b: Finding) -> bool:
    return (_RANK[a[0]], -(a[2] - a[1])) < (_RANK[b[0]], -(b[2] - b[1]))


def check(text: str, norm: Normalized, activity: AuthorActivity, lists: object) -> list[Flag]:
    """A flag per piece of personal information, BLOCK for identity and card numbers."""
    return [Flag("personal_information", SEVERITY[kind], kind, (start, end))
            for kind, start, end in find(text)]
