"""Personal-information screen: US SSNs, USCIS numbers, phones, e-mails, payment cards.

Detection runs on the text as a reader sees it (:mod:`.visible`): Markdown emphasis or
code, Unicode dashes and spaces, zero-width and full-width characters do not hide a
number. :func:`check` reads the raw comment that way and flags spans of the raw text;
:func:`mask_html` reads the rendered HTML that way and masks every match in it, across
tags and in link addresses. Logs use :func:`.pipeline.mask_personal`, so a flag's
``detail`` names the kind of data and never repeats it.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from urllib.parse import unquote

from .activity import AuthorActivity
from .flags import Flag, Severity
from .normalize import Normalized
from .profanity import MAX_FLAGS
from .visible import Folded, Link, fold_html, fold_markdown, fold_text, replace_text

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
# Without separators, or with dots ("521.84.3307"), nine digits are an SSN only in context.
_SSN_BARE_RE = re.compile(_B + r"(\d{3})(\.?)(\d{2})\2(\d{4})" + _E)
_SSN_CONTEXT_RE = re.compile(
    r"(?i)(?:\bssn|\bsocial\b|\bsoc\.? ?sec|\bss ?#|\bss ?no\b|\btaxpayer)[^\n]{0,30}$"
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
        if ssn_ok(m.group(1), m.group(3), m.group(4)) and _SSN_CONTEXT_RE.search(
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


# At signs close enough for their windows to overlap, found in one scan: a run of
# thousands of them is one window, not thousands.
_AT_CLUSTER_RE = re.compile(
    "@(?:[^@]{0,%d}@)*" % (_EMAIL_LOCAL_MAX + _EMAIL_DOMAIN_MAX))


def _at_signs(text: str) -> Iterator[tuple[int, int]]:
    for m in _AT_CLUSTER_RE.finditer(text):
        yield m.start() - _EMAIL_LOCAL_MAX, m.end() - 1 + _EMAIL_DOMAIN_MAX


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
    """A flag per piece of personal information a reader of ``text`` will see, BLOCK for
    identity and card numbers; each span covers what the author wrote (markers included)."""
    folded = fold_markdown(text)
    found = find(folded.text)[:MAX_FLAGS]
    spans = folded.source_spans((start, end) for _, start, end in found)
    return [Flag("personal_information", SEVERITY[kind], kind, span)
            for (kind, _, _), span in zip(found, spans)]


_LOCATE_WINDOW = 4096


def _href_findings(markup: str, links: list[Link]) -> list[tuple[str, str, int]]:
    """``(kind, address text, link index)`` for personal information in link addresses,
    which may be percent-encoded (``mailto:jane%40example.com``). One scan for all links."""
    if not links:
        return []
    values = "\n".join(
        markup[link.href[0]:link.href[1]].split("=", 1)[1].strip("\"'").replace("\n", " ")
        for link in links)
    # Decoded once for all links; a line break stays the separator between two of them.
    decoded = fold_text(unquote(html.unescape(_ENCODED_BREAK_RE.sub(" ", values))))
    found = find(decoded)
    if not found:
        return []
    breaks = [m.start() for m in re.finditer("\n", decoded)]
    return [(kind, decoded[s:e], bisect_right(breaks, s)) for kind, s, e in found]


_ENCODED_BREAK_RE = re.compile(r"(?i)%0[ad]|&#0*1[03];|&#x0*[ad];|&newline;")


def mask_html(markup: str, raw: str, flags: list[Flag], mask: str) -> str:
    """``markup`` with every piece of personal information a reader would see masked, and
    a flag added to ``flags`` for each.

    The rendered text is what readers get, so this is where the screen runs for a
    submission: a match that crosses tags has its text replaced and the tags kept; a link
    whose address holds personal information loses the address and its text is masked.
    Each flag's span is where the match was written in ``raw``, when it can be found there.
    """
    visible = fold_html(markup)
    text = visible.folded.text
    found = find(text)
    in_hrefs = _href_findings(markup, visible.links)
    if not found and not in_hrefs:
        return markup
    spans = visible.folded.source_spans((start, end) for _, start, end in found)
    shown = [text[start:end] for _, start, end in found]
    # Every match is masked; moderators get the first MAX_FLAGS as flags (enough to rank
    # the comment, and a flood of numbers does not make the stored flags grow with it).
    flags.extend(Flag("personal_information", SEVERITY[kind], kind, span)
                 for (kind, _, _), span in zip(found[:MAX_FLAGS],
                                               _locate(raw, shown[:MAX_FLAGS])))
    # An autolink shows its address: flagged once, for the text.
    on_show = set(shown)
    hidden = [(kind, address) for kind, address, _ in in_hrefs
              if address not in on_show][:MAX_FLAGS]
    flags.extend(Flag("personal_information", SEVERITY[kind], f"{kind} (in a link address)", span)
                 for (kind, _), span in zip(hidden, _locate(raw, [a for _, a in hidden])))
    spans.extend(visible.links[i].content for _, _, i in in_hrefs)
    removals = sorted({visible.links[i].href for _, _, i in in_hrefs})
    return replace_text(markup, spans, mask, removals)


def _locate(raw: str, shown: list[str]) -> list[tuple[int, int] | None]:
    """Where each displayed match (in order) was written in ``raw``, looking a bounded way
    ahead of the previous one; ``None`` where Markdown syntax hides the correspondence."""
    if not shown:
        return []
    folded = fold_markdown(raw)
    text, pos, at = folded.text, 0, []
    for piece in shown:
        i = text.find(piece, pos, pos + _LOCATE_WINDOW + len(piece))
        at.append(i)
        if i >= 0:
            pos = i + len(piece)
    spans = iter(folded.source_spans((i, i + len(p)) for i, p in zip(at, shown) if i >= 0))
    return [next(spans) if i >= 0 else None for i in at]
