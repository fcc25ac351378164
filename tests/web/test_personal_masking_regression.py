"""Personal information disguised with Markdown or Unicode never reaches readers, even after
approval: submitted through the API as a member, approved by staff, then read on every
public surface (API listing, thread page, embed, Atom feed)."""
from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from board import accounts
from board.timeutil import utcnow
from board.vocabulary import Role

ATOM = "{http://www.w3.org/2005/Atom}"
PHONE, SSN, CARD, A_NUMBER = "2025550143", "123456789", "4111111111111111", "987654321"
EMAIL = "jane.doe@mailbox.test"

# (attack, what must never be readable)
ATTACKS = [
    ("Call me on 202-*555*-0143 tonight.", PHONE),
    ("My SSN is 123-`45`-6789, just in case.", SSN),
    ("Card **4111** 1111 1111 1111 works.", CARD),
    ("Write to jane.doe@*mailbox*.test soon.", EMAIL),
    ("Call me on 202\u2013555\u20130143 (en dash).", PHONE),
    ("My SSN is 123\u201445\u20146789 (em dash).", SSN),
    ("My SSN is 123\u221245\u22126789 (minus sign).", SSN),
    ("Call me on 202\u2012555\u20120143 (figure dash).", PHONE),
    ("Call me on 202\u2011555\u20110143 (non-breaking hyphen).", PHONE),
    ("Call me on 202\u00a0555\u00a00143 (no-break space).", PHONE),
    ("Card 4111\u202f1111\u202f1111\u202f1111 (narrow no-break space).", CARD),
    ("My SSN is 123\u200745\u20076789 (figure space).", SSN),
    ("Call me on 202-55\u200b5-0143 (zero-width space).", PHONE),
    ("My SSN is 123-4\u200c5-6789 (zero-width non-joiner).", SSN),
    ("Card 4111 11\u200d11 1111 1111 (zero-width joiner).", CARD),
    ("Call me on 202-555-01\u206043 (word joiner).", PHONE),
    ("Write to jane.doe@mail\ufeffbox.test (byte order mark).", EMAIL),
    ("My SSN is 123-45-67\u00ad89 (soft hyphen).", SSN),
    ("Call me on \uff12\uff10\uff12-\uff15\uff15\uff15-\uff10\uff11\uff14\uff13 (full width).",
     PHONE),
    ("My SSN is \u0661\u0662\u0663-\u0664\u0665-\u0666\u0667\u0668\u0669 (Arabic-Indic).", SSN),
    ("My A-number is A-987-\u200b654-*321*.", A_NUMBER),
    ("SS# is 123.45.6789 if you need it.", SSN),
]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def read(markup: str) -> str:
    """What a reader of ``markup`` reads: text nodes, invisible characters and Markdown
    markers dropped, Unicode digits, dashes and compatibility forms made plain."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    out = []
    for ch in "".join(parser.parts):
        if unicodedata.category(ch) in ("Cf", "Mn") or ch in "*_`":
            continue
        digit = unicodedata.decimal(ch, None)
        out.append(str(digit) if digit is not None else unicodedata.normalize("NFKC", ch))
    return "".join(out)


def readable(secret: str, text: str) -> bool:
    """Is ``secret`` in ``text``: the address, or its digits in order with only
    punctuation and spaces between them?"""
    if "@" in secret:
        return secret in text or "jane.doe" in text or "mailbox" in text
    return re.search(r"[\W_]{0,4}".join(secret), text) is not None


def surfaces(client, key: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The text a reader reads on each public surface of the thread."""
    listing = client.get(f"/api/v1/threads/{key}/comments")
    assert listing.status_code == 200
    page, embed = client.get(f"/t/{key}"), client.get(f"/embed/{key}")
    feed = client.get(f"/t/{key}/feed.atom")
    assert page.status_code == embed.status_code == feed.status_code == 200
    entries = ElementTree.fromstring(feed.data).findall(f"{ATOM}entry")
    return {
        "api": read(json.dumps(listing.get_json(), ensure_ascii=False)),
        "api bodies": "\n".join(read(c["body_html"]) for c in listing.get_json()["comments"]),
        "page": read(page.get_data(as_text=True)),
        "embed": read(embed.get_data(as_text=True)),
        "feed": "\n".join(read(e.find(f"{ATOM}content").text or "") for e in entries),
    }


@pytest.mark.parametrize("body, secret", ATTACKS, ids=[a for a, _ in ATTACKS])
def test_disguised_personal_information_stays_masked_after_approval(
        client, make, body: str, secret: str) -> None:  # type: ignore[no-untyped-def]
    make.thread("post-1")
    member, moderator = make.user(), make.user(Role.MODERATOR)
    member_token = accounts.issue_token(member, utcnow(), 3600, "test")[0]
    staff_token = accounts.issue_token(moderator, utcnow(), 3600, "test")[0]

    submitted = client.post("/api/v1/threads/post-1/comments",
                            json={"body": body, "consent": True},
                            headers={"Authorization": f"Bearer {member_token}"})
    assert submitted.status_code == 202, submitted.get_data(as_text=True)
    comment_id = submitted.get_json()["id"]

    queued = client.get("/api/v1/moderation/queue",
                        headers={"Authorization": f"Bearer {staff_token}"}).get_json()
    [item] = [i for i in queued["items"] if i["id"] == comment_id]
    assert "personal_information" in {f["code"] for f in item["flags"]}
    assert item["body_raw"] == body  # staff still read what was written
    approved = client.post(f"/api/v1/moderation/comments/{comment_id}/decisions",
                           json={"action": "approve", "version": item["version"]},
                           headers={"Authorization": f"Bearer {staff_token}"})
    assert approved.status_code == 200, approved.get_data(as_text=True)

    seen = surfaces(client, "post-1")
    assert "personal information removed" in seen["api bodies"]
    assert "personal information removed" in seen["feed"]
    for name, text in seen.items():
        assert not readable(secret, text), (name, body)


def test_the_check_reads_what_a_reader_reads(client, make) -> None:  # type: ignore[no-untyped-def]
    """Without masking, each attack would be readable on the page: the check is not blind."""
    for body, secret in ATTACKS:
        assert readable(secret, read(f"<p>{body}</p>").replace("\\", "")), body
