"""The Atom feed stays well-formed XML whatever the stored text holds: hostile titles,
display names and comment bodies are checked with real XML parsers."""
from __future__ import annotations

from xml.dom import minidom
from xml.etree import ElementTree

import pytest

from board.extensions import db
from board.vocabulary import State
from board.xmltext import xml_text

ATOM = "{http://www.w3.org/2005/Atom}"
# What XML 1.0 forbids, NUL aside (PostgreSQL cannot store it; SQLite can, so it is tried there).
FORBIDDEN = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
HOSTILE = [
    "\ufffe\uffff",
    "Title\x01with\x08controls\x0b\x0c\x1f",
    "]]><evil attr='x'>&amp;&#0;&#xFFFE;</evil>",
    "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'boom'>]>&e;",
    "emoji \U0001F600 and rtl \u202e and bom \ufeff",
]


def _parse(data: bytes) -> ElementTree.Element:
    minidom.parseString(data)  # a second, independent parser
    return ElementTree.fromstring(data)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_titles_names_and_bodies_keep_the_feed_valid(app, client, make,
                                                             hostile) -> None:
    thread = make.thread("post-1", "Plain")
    author = make.user(name="Plain name")
    through_screening = make.comment(thread, author, f"Submitted {hostile} text", State.APPROVED)
    stored = make.comment(thread, author, "Imported later", State.APPROVED)
    # Stored text may hold anything an import or an older release left in it.
    thread.title = f"A post {hostile}"
    author.display_name = f"Ann {hostile}"
    stored.body_html = f"<p>Body {hostile} end</p>"
    db.session.commit()

    response = client.get("/t/post-1/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = _parse(response.data)
    assert root.find(f"{ATOM}title").text == f"Comments on A post {xml_text(hostile)}"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    contents = [e.find(f"{ATOM}content").text for e in entries]
    assert f"Body {xml_text(hostile)} end" in contents[0]
    assert "Submitted" in contents[1] and through_screening.id
    for entry in entries:
        assert entry.find(f"{ATOM}author/{ATOM}name").text == f"Ann {xml_text(hostile)}"
    text = response.get_data(as_text=True)
    assert not any(ch in text for ch in FORBIDDEN)


def test_every_forbidden_character_at_once(app, client, make) -> None:
    thread = make.thread("post-1", "Plain")
    author = make.user()
    comment = make.comment(thread, author, "Fine", State.APPROVED)
    everything = FORBIDDEN + ("\x00" if db.engine.dialect.name == "sqlite" else "")
    thread.title = author.display_name = everything[:80]
    comment.body_html = f"<p>{everything}</p>"
    db.session.commit()
    root = _parse(client.get("/t/post-1/feed.atom").data)
    assert root.find(f"{ATOM}title").text == "Comments on "  # nothing but the forbidden
    assert root.find(f"{ATOM}entry/{ATOM}content").text == "<p></p>"


def test_xml_text_keeps_what_xml_allows() -> None:
    allowed = "tab\t nl\n cr\r é \u2028 \ud7ff \ue000 \ufffd \U00010000 \U0010ffff \x7f \x85"
    assert xml_text(allowed) == allowed
    assert xml_text("a\x00b\x1fc\ufffed\uffffe\ud800f") == "abcdef"
