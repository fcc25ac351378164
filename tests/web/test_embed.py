"""The embed page: framing, content, the verified parent origin, auto-creation, no-JS posting."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from board.extensions import db
from board.models import AuditEntry, Comment, Site, SiteOrigin, Thread
from board.vocabulary import State

from ..builders import post_form, sign_in

HOST = "https://blog.example.org"


def make_site(origins: list[str], auto_create: bool = False, name: str = "Blog") -> Site:
    site = Site(name=name, auto_create_threads=auto_create,
                origins=[SiteOrigin(origin=o) for o in origins])
    db.session.add(site)
    db.session.commit()
    return site


def site_thread(make, origins: list[str] | None = None, key: str = "post-1",
                **kwargs) -> Thread:
    thread = make.thread(key, **kwargs)
    thread.site = make_site([HOST] if origins is None else origins)
    db.session.commit()
    return thread


def directive(response, name: str) -> str:
    csp = response.headers["Content-Security-Policy"]
    found = [part.strip() for part in csp.split(";") if part.strip().startswith(name + " ")]
    assert len(found) == 1, csp
    return found[0]


# -- framing ---------------------------------------------------------------------------------

def test_embed_may_be_framed_by_the_sites_origins_only(client, make) -> None:
    site_thread(make, [HOST, "http://localhost:8080"])
    response = client.get("/embed/post-1")
    assert response.status_code == 200
    assert directive(response, "frame-ancestors") == \
        f"frame-ancestors http://localhost:8080 {HOST}"
    assert "X-Frame-Options" not in response.headers
    assert directive(response, "script-src") == "script-src 'self'"


def test_thread_without_site_is_framable_by_board_itself_at_most(client, make) -> None:
    make.thread("post-1")
    response = client.get("/embed/post-1")
    assert directive(response, "frame-ancestors") == "frame-ancestors 'self'"


def test_stored_origins_that_are_not_plain_origins_never_reach_the_header(client, make) -> None:
    site_thread(make, [HOST, "https://evil.example; script-src *", "javascript:alert(1)"])
    response = client.get("/embed/post-1")
    assert directive(response, "frame-ancestors") == f"frame-ancestors {HOST}"
    assert "evil" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/t/post-1", "/auth/login", "/embed/_/signin"])
def test_every_other_page_refuses_framing(client, make, path) -> None:
    site_thread(make)
    response = client.get(path)
    assert directive(response, "frame-ancestors") == "frame-ancestors 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_errors_inside_the_frame_keep_the_sites_framing(client, make) -> None:
    site_thread(make)
    response = client.post("/embed/post-1", data={"body": "Hi", "consent": "y"})
    assert response.status_code == 400
    assert directive(response, "frame-ancestors") == f"frame-ancestors {HOST}"
    assert "Sign in to comment" in response.get_data(as_text=True)


# -- content -----------------------------------------------------------------------------------

def test_embed_shows_approved_comments_with_replies_and_no_chrome(client, make) -> None:
    thread = site_thread(make)
    author = make.user(name="Ada")
    first = make.comment(thread, author, "First **approved**", State.APPROVED)
    make.comment(thread, make.user(name="Bo"), "A reply", State.APPROVED, parent=first)
    make.comment(thread, author, "Still pending", State.PENDING)
    make.comment(thread, author, "Turned down", State.REJECTED)
    html = client.get("/embed/post-1").get_data(as_text=True)
    assert "<strong>approved</strong>" in html and "A reply" in html
    assert "Still pending" not in html and "Turned down" not in html
    assert re.search(r'class="replies">\s*<li class="comment" id="comment-\d+"', html)
    assert "2 comments" in html
    assert "site-header" not in html and "Skip to content" not in html
    # The policy and the consent wording are those of the thread page.
    assert "Comment policy" in html and "I agree that the organisation may publish" in html
    assert "Sign in to comment" in html


def test_embed_has_no_inline_script_or_style(client, make) -> None:
    thread = site_thread(make)
    make.comment(thread, make.user(), "Hello", State.APPROVED)
    html = client.get(f"/embed/post-1?origin={HOST}&accent=%23aa0000").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html
    assert re.search(r" on[a-z]+=", html) is None


def test_anonymous_readers_get_no_session_and_a_304_when_nothing_changed(client, make) -> None:
    site_thread(make)
    first = client.get("/embed/post-1")
    assert "Set-Cookie" not in first.headers
    assert 'name="csrf_token"' not in first.get_data(as_text=True)
    again = client.get("/embed/post-1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_closed_thread_shows_no_form(client, make) -> None:
    site_thread(make, is_open=False)
    html = client.get("/embed/post-1").get_data(as_text=True)
    assert "closed to new comments" in html and "data-board-form" not in html


def test_unknown_thread_is_a_light_404(client) -> None:
    response = client.get("/embed/nothing-here")
    assert response.status_code == 404
    assert "There is no comment thread here." in response.get_data(as_text=True)
    assert directive(response, "frame-ancestors") == "frame-ancestors 'none'"


# -- the parent origin ---------------------------------------------------------------------------

@pytest.mark.parametrize("claimed, accepted", [
    (HOST, True),
    (HOST + "/", True),
    ("HTTPS://Blog.Example.org:443", True),
    ("https://evil.example", False),
    ("http://blog.example.org", False),
    ("https://blog.example.org.evil.example", False),
    ("*", False),
    ("", False),
])
def test_the_frame_posts_its_height_only_to_a_verified_origin(client, make, claimed,
                                                             accepted) -> None:
    site_thread(make)
    html = client.get("/embed/post-1", query_string={"origin": claimed}).get_data(as_text=True)
    assert (f'data-parent-origin="{HOST}"' in html) is accepted
    assert ("data-parent-origin" in html) is accepted


def test_links_inside_the_frame_keep_the_verified_origin_and_theme(client, make) -> None:
    thread = site_thread(make)
    make.comment(thread, make.user(), "Hello", State.APPROVED)
    html = client.get("/embed/post-1", query_string={
        "origin": HOST, "accent": "#AA0000", "url": f"{HOST}/p", "title": "T",
    }).get_data(as_text=True)
    reply = re.search(r'class="reply"[^>]*href="([^"]+)"', html, re.S)
    assert reply and "origin=https" in reply.group(1) and "accent=%23aa0000" in reply.group(1)
    assert "url=" not in reply.group(1)


# -- auto-creation ---------------------------------------------------------------------------

def embed_unknown(client, origin: str, url: str, key: str = "new-post", title: str = "New post"):
    return client.get(f"/embed/{key}", query_string={"origin": origin, "url": url, "title": title})


def test_auto_creation_from_an_allowed_origin(client) -> None:
    site = make_site([HOST], auto_create=True)
    response = embed_unknown(client, HOST, f"{HOST}/2026/new-post#comments")
    assert response.status_code == 200
    thread = db.session.scalars(sa.select(Thread).where(Thread.key == "new-post")).one()
    assert (thread.title, thread.url, thread.site_id) == ("New post", f"{HOST}/2026/new-post",
                                                          site.id)
    assert directive(response, "frame-ancestors") == f"frame-ancestors {HOST}"
    assert db.session.scalars(sa.select(AuditEntry.action)).all() == ["thread.auto_create"]
    # The second embed finds it; nothing is created twice.
    assert embed_unknown(client, HOST, f"{HOST}/other", title="Other").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 1
    # Still unlisted, so a later page of the site replaces a title someone else gave it.
    assert db.session.get(Thread, thread.id).title == "Other"


def test_auto_created_thread_without_title_takes_the_key(client) -> None:
    make_site([HOST], auto_create=True)
    assert embed_unknown(client, HOST, f"{HOST}/p", title="  ").status_code == 200
    assert db.session.scalars(sa.select(Thread.title)).one() == "new-post"


@pytest.mark.parametrize("auto_create, origin, url, key", [
    (False, HOST, f"{HOST}/p", "new-post"),                         # the admin did not enable it
    (True, "https://evil.example", "https://evil.example/p", "new-post"),  # origin not allowed
    (True, HOST, "https://evil.example/p", "new-post"),             # page not on that origin
    (True, HOST, "http://blog.example.org/p", "new-post"),          # other scheme
    (True, HOST, "/p", "new-post"),                                 # not an absolute address
    (True, HOST, "javascript:alert(1)", "new-post"),
    (True, None, f"{HOST}/p", "new-post"),                          # plain iframe: no origin
    (True, HOST, f"{HOST}/p", "_bad key"),                          # invalid key
])
def test_no_auto_creation_unless_every_rule_holds(client, auto_create, origin, url, key) -> None:
    make_site([HOST], auto_create=auto_create)
    query = {"url": url, "title": "T"} | ({"origin": origin} if origin else {})
    response = client.get(f"/embed/{key}", query_string=query)
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 0


def test_an_existing_thread_of_another_site_is_never_taken_over(client, make) -> None:
    site_thread(make, ["https://other.example"])
    make_site([HOST], auto_create=True, name="Blog 2")
    response = embed_unknown(client, HOST, f"{HOST}/p", key="post-1")
    assert directive(response, "frame-ancestors") == "frame-ancestors https://other.example"
    assert "data-parent-origin" not in response.get_data(as_text=True)


# -- posting without JavaScript, with a Board session ------------------------------------------

def test_member_with_a_session_posts_through_the_form(client, make) -> None:
    site_thread(make)
    member = make.user()
    sign_in(client, member.email)
    page = f"/embed/post-1?origin={HOST}&accent=%23aa0000"
    html = client.get(page).get_data(as_text=True)
    assert "Signed in to Board as" in html and 'name="csrf_token"' in html
    response = post_form(client, page, {"body": "From the frame", "consent": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/embed/post-1?")
    assert "origin=https" in response.headers["Location"]
    assert response.headers["Location"].endswith("#comment-form")
    comment = db.session.scalars(sa.select(Comment)).one()
    assert comment.state == State.PENDING and comment.author_id == member.id
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "awaits moderation" in followed


@pytest.mark.parametrize("data, message", [
    ({"body": "", "consent": "y"}, "Please write something before sending."),
    ({"body": "Hello"}, "Please agree that the organisation may publish your comment."),
])
def test_form_errors_show_next_to_the_form(client, make, data, message) -> None:
    site_thread(make)
    sign_in(client, make.user().email)
    response = post_form(client, "/embed/post-1", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_reply_without_javascript(client, make) -> None:
    thread = site_thread(make)
    parent = make.comment(thread, make.user(name="Ada"), "Parent", State.APPROVED)
    sign_in(client, make.user().email)
    page = f"/embed/post-1?reply_to={parent.id}"
    assert "Replying to" in client.get(page).get_data(as_text=True)
    response = post_form(client, "/embed/post-1", {"body": "Agreed", "consent": "y",
                                                   "parent_id": str(parent.id)}, page=page)
    assert response.status_code == 302
    reply = db.session.scalars(sa.select(Comment).where(Comment.id != parent.id)).one()
    assert reply.parent_id == parent.id


# -- origin checks ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, origin", [
    ("https://Blog.Example.org", HOST), ("https://blog.example.org/", HOST),
    ("https://blog.example.org:443", HOST), ("http://localhost:8080", "http://localhost:8080"),
    ("http://[::1]:8080", "http://[::1]:8080"),
    ("https://blog.example.org/path", None), ("https://user@blog.example.org", None),
    ("ftp://blog.example.org", None), ("https://blog.example.org:99999", None),
    ("https://blog.example.org?x", None), ("null", None), ("", None), (None, None),
    ("https://a b.example", None), ("https://a;b.example", None),
])
def test_origins_are_normalised_or_refused(value, origin) -> None:
    from board.embed.origins import normalise_origin

    assert normalise_origin(value) == origin


@pytest.mark.parametrize("url, origin", [
    (f"{HOST}/2026/post?x=1#c", HOST), ("HTTPS://BLOG.example.org:443/p", HOST),
    ("/relative", None), ("javascript:alert(1)", None), ("https://u:p@blog.example.org/", None),
])
def test_the_origin_of_a_page_address(url, origin) -> None:
    from board.embed.origins import origin_of_url

    assert origin_of_url(url) == origin
