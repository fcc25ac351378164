"""Links in a comment: counted for the spam screen, found for linkification.

Both run in time linear in the text, whatever it holds. bleach's own link pattern starts
with ``\\(*`` and nests ``([\\w-]+\\.)+``, so a run of ``(`` or of ``1-1-1-...`` made it
try every start and scan to the end from each: seconds of CPU for one 20,000-character
comment. :data:`URL_RE` reads the same links (an optional http(s) scheme, a name ending
in a known top-level domain, then a path) but may start only where no name continues to
the left, so every character is scanned by a bounded number of attempts.
"""
from __future__ import annotations

import re

# An explicit link: a scheme or "www." (what readers will see as a link), in folded text.
_URL_COUNT_RE = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'`]+")

#: Schemes a found link may have; without one, ``http://`` is assumed.
LINK_SCHEMES = ("http", "https")

#: A link in plain text: ``http(s)://`` optional, a host, an optional port and path.
#: Starts only where no name continues to the left; :func:`find_links` then keeps the
#: hosts that end in a known top-level domain (a set lookup, not a 250-way alternation
#: retried at every dot of ``a.a.a.a...``).
URL_RE = re.compile(
    r"(?<![\w@.:/-])"
    r"(?:(?:" + "|".join(LINK_SCHEMES) + r")://(?:\w+(?::\w+)?@)?)?"
    r"(?:[\w-]+\.)+(?P<tld>[a-z]{2,12})"
    r"(?::[0-9]+)?(?!\.\w)\b"
    r"(?:[/?][^\s{}|\\^`<>\"]*)?",
    re.IGNORECASE,
)
_SCHEME_RE = re.compile(r"^[\w-]+:/{0,3}")
#: Top-level domains a bare name must end in to be read as a link (bleach's list).
TLDS = frozenset("""
    ac ad ae aero af ag ai al am an ao aq ar arpa as asia at au aw ax az ba bb bd be bf bg
    bh bi biz bj bm bn bo br bs bt bv bw by bz ca cat cc cd cf cg ch ci ck cl cm cn co com
    coop cr cu cv cx cy cz de dj dk dm do dz ec edu ee eg er es et eu fi fj fk fm fo fr ga
    gb gd ge gf gg gh gi gl gm gn gov gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im
    in info int io iq ir is it je jm jo jobs jp ke kg kh ki km kn kp kr kw ky kz la lb lc li
    lk lr ls lt lu lv ly ma mc md me mg mh mil mk ml mm mn mo mobi mp mq mr ms mt mu museum
    mv mw mx my mz na name nc ne net nf ng ni nl no np nr nu nz om org pa pe pf pg ph pk pl
    pm pn post pr pro ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn
    so sr ss st su sv sx sy sz tc td tel tf tg th tj tk tl tm tn to tp tr travel tt tv tw tz
    ua ug uk us uy uz va vc ve vg vi vn vu wf ws xn xxx ye yt yu za zm zw
""".split())


def count_links(folded: str) -> int:
    """How many explicit links (``http://``, ``https://``, ``www.``) a folded text holds."""
    if "://" not in folded and "www." not in folded:
        return 0
    return len(_URL_COUNT_RE.findall(folded))


def trim_link(found: str) -> tuple[str, str]:
    """Split a found link into the link and the trailing punctuation that ends the sentence
    around it: periods, commas and closing parentheses that close nothing in the link."""
    end = len(found)
    unmatched = found.count(")") - found.count("(")
    while end:
        last = found[end - 1]
        if last == ")" and unmatched > 0:
            unmatched -= 1
        elif last not in ".,":
            break
        end -= 1
    return found[:end], found[end:]


def href_for(link: str) -> str:
    """The address a found link points to (``http://`` when it names no scheme)."""
    return link if _SCHEME_RE.match(link) else "http://" + link


#: Links made clickable in one comment. Each costs the sanitizer a tag and its checks; a
#: comment with more is spam by the spam screen's count long before, and the rest of its
#: addresses stay readable text.
LINK_LIMIT = 50


def find_links(text: str, limit: int = LINK_LIMIT) -> list[tuple[int, int, str]]:
    """``(start, end, href)`` of the first ``limit`` links in plain ``text``, trailing
    punctuation left out."""
    found: list[tuple[int, int, str]] = []
    if limit <= 0:
        return found
    for match in URL_RE.finditer(text):
        if match.group("tld").lower() not in TLDS:
            continue
        link, _ = trim_link(match.group())
        found.append((match.start(), match.start() + len(link), href_for(link)))
        if len(found) >= limit:
            break
    return found
