"""The Atom feed of a thread's approved comments."""
from __future__ import annotations

from xml.etree import ElementTree

from board.vocabulary import State

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_lists_approved_comments_newest_first(client, make) -> None:
    thread, author = make.thread("post-1", "Parks & <plans>"), make.user(name="Ann <b>")
    make.comment(thread, author, "First **one**", State.APPROVED)
    make.comment(thread, author, "Second", State.APPROVED)
    make.comment(thread, author, "Hidden", State.PENDING)
    response = client.get("/t/post-1/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(response.data)
    assert root.find(f"{ATOM}title").text == "Comments on Parks & <plans>"
    entries = root.findall(f"{ATOM}entry")
    contents = [e.find(f"{ATOM}content").text for e in entries]
    assert len(entries) == 2 and "Second" in contents[0] and "<strong>one</strong>" in contents[1]
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Ann <b>"
    assert client.get("/t/nope/feed.atom").status_code == 404
