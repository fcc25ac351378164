"""Embedding a thread in another site, in real headless Chromium.

Board runs on http://127.0.0.1:<port>; the host pages come from a second tiny WSGI app on
http://localhost:<port>, a different origin (and site, so the Board session cookie is not
sent to the iframe: sign-in has to go through the popup).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from html import escape

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from board import lifecycle
from board.extensions import db
from board.models import Comment, Site, SiteOrigin, Thread
from board.timeutil import utcnow
from board.vocabulary import Action, Role, State

from ..builders import PASSWORD
from .conftest import LiveServer

pytestmark = pytest.mark.browser


def host_app(board_url: str) -> Callable:
    """A blog on another origin: one thread, two threads, or a plain iframe."""

    def script(key: str, extra: str = "") -> str:
        return (f'<script src="{board_url}/embed.js" data-thread="{escape(key)}" {extra} '
                'async></script>')

    themed = script("post-2", 'data-accent="#8b0000" data-font="serif"')
    fresh = script("fresh-post", 'data-title="A fresh post"')
    pages = {
        "/": f"<h1>A post</h1><p>Text of the post.</p>{script('post-1')}<footer>End</footer>",
        "/two": f"<h1>Two posts</h1>{script('post-1')}<h2>Second</h2>"
                f"{themed}",
        "/fresh": f"<h1>Fresh</h1>{fresh}",
        "/plain": f'<h1>Plain</h1><iframe src="{board_url}/embed/post-1" '
                  'title="Comments"></iframe>',
    }

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        body = pages.get(environ["PATH_INFO"])
        if body is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        html = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Blog</title>"
                f"<link rel='icon' href='data:,'></head><body>{body}</body></html>")
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [html.encode()]

    return app


@pytest.fixture
def host(live_server: LiveServer) -> Iterator[LiveServer]:
    """The embedding site, on an origin that the site allows."""
    with LiveServer(host_app(live_server.url), host="localhost") as server:
        yield server


@pytest.fixture
def stranger(live_server: LiveServer) -> Iterator[LiveServer]:
    """The same pages on an origin that no site allows."""
    with LiveServer(host_app(live_server.url), host="localhost") as server:
        yield server


@pytest.fixture
def threads(make, host: LiveServer):  # type: ignore[no-untyped-def]
    """Two threads of a site that allows ``host``, with approved and pending comments."""
    site = Site(name="Blog", origins=[SiteOrigin(origin=host.url)])
    db.session.add(site)
    first, second = make.thread("post-1", "A post"), make.thread("post-2", "Second post")
    first.site = second.site = site
    db.session.commit()
    ada, bo = make.user(name="Ada"), make.user(name="Bo")
    parent = make.comment(first, ada, "First approved comment", State.APPROVED)
    make.comment(first, bo, "A reply to Ada", State.APPROVED, parent=parent)
    make.comment(first, bo, "Still waiting", State.PENDING)
    make.comment(second, ada, "On the second post", State.APPROVED)
    return first, second


def heights(page, selector: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The iframe's height on the host page, and the height of its content."""
    iframe = page.locator(selector)
    outer = iframe.evaluate("frame => frame.getBoundingClientRect().height")
    inner = iframe.element_handle().content_frame().evaluate(
        "() => document.body.getBoundingClientRect().height")
    return outer, inner


def wait_for_fit(page, selector: str, timeout: float = 10) -> float:  # type: ignore[no-untyped-def]
    """Wait until the iframe is as tall as its content; return that height."""
    deadline = time.monotonic() + timeout
    while True:
        outer, inner = heights(page, selector)
        if abs(outer - inner) <= 1:
            return outer
        if time.monotonic() > deadline:
            raise AssertionError(f"iframe {outer}px, content {inner}px")
        time.sleep(0.05)


def test_iframes_show_approved_comments_and_fit_their_content(page, host, threads) -> None:
    page.goto(f"{host.url}/two")
    first = page.frame_locator('iframe[data-thread="post-1"]')
    second = page.frame_locator('iframe[data-thread="post-2"]')
    expect(first.locator(".comments")).to_contain_text("First approved comment")
    expect(first.locator(".replies")).to_contain_text("A reply to Ada")
    expect(first.locator("body")).not_to_contain_text("Still waiting")
    expect(second.locator(".comments")).to_contain_text("On the second post")
    expect(second.locator(".comments")).not_to_contain_text("First approved comment")

    # Each loader sizes its own iframe, to its own content.
    tall = wait_for_fit(page, 'iframe[data-thread="post-1"]')
    short = wait_for_fit(page, 'iframe[data-thread="post-2"]')
    assert tall > short > 300
    # The theme reached the second frame only.
    accent = second.locator("button[type=submit], a.button").first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert accent == "rgb(139, 0, 0)"

    # When the content changes, the iframe follows.
    first.locator(".policy summary").click()
    collapsed = wait_for_fit(page, 'iframe[data-thread="post-1"]')
    assert collapsed < tall - 20
    first.locator(".policy summary").click()
    assert abs(wait_for_fit(page, 'iframe[data-thread="post-1"]') - tall) <= 1
    assert page.console_errors == []


def test_plain_iframe_works_without_the_loader(page, host, threads) -> None:
    page.goto(f"{host.url}/plain")
    frame = page.frame_locator("iframe")
    expect(frame.locator(".comments")).to_contain_text("First approved comment")
    assert page.console_errors == []


def test_member_signs_in_through_the_popup_and_comments(page, host, threads, make) -> None:
    member = make.user(name="Cleo")
    page.goto(f"{host.url}/")
    frame = page.frame_locator("iframe")
    expect(frame.locator(".comments")).to_contain_text("First approved comment")
    expect(frame.locator("[data-board-form]")).to_be_hidden()

    with page.expect_popup() as opened:
        frame.get_by_role("link", name="Sign in to comment").click()
    popup = opened.value
    popup_errors: list[str] = []
    popup.on("console", lambda m: popup_errors.append(m.text) if m.type == "error" else None)
    assert popup.url.startswith(page.frame_locator("iframe").owner.evaluate(
        "f => new URL(f.src).origin"))
    popup.get_by_label("E-mail address").fill(member.email)
    popup.get_by_label("Password").fill(PASSWORD)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Sign in").click()
    assert popup_errors == []

    expect(frame.locator("[data-board-identity]")).to_contain_text("Signed in to Board as Cleo")
    expect(frame.get_by_role("link", name="Sign in to comment")).to_be_hidden()

    # An API error is shown next to the form.
    frame.get_by_role("button", name="Send for moderation").click()
    expect(frame.locator('[data-board-error="body"]')).to_have_text(
        "Please write something before sending.")
    frame.get_by_label("Your comment").fill("Posted from the **host** page")
    frame.get_by_role("button", name="Send for moderation").click()
    expect(frame.locator('[data-board-error="consent"]')).to_contain_text("Please agree")

    frame.get_by_label("I agree that the organisation").check()
    frame.get_by_role("button", name="Send for moderation").click()
    expect(frame.locator("[data-board-status]")).to_contain_text("awaits moderation")
    expect(frame.locator('[data-board-error="consent"]')).to_be_hidden()

    db.session.expire_all()
    comment = db.session.scalars(sa.select(Comment).where(Comment.author_id == member.id)).one()
    assert comment.state == State.PENDING
    # The token lives in the frame script's memory only: not in the host page, not in the DOM.
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
    assert "brd_" not in page.content()
    assert "brd_" not in frame.locator("html").evaluate("e => e.outerHTML")

    # Pending comments are not shown; once a moderator approves, a reload shows it.
    page.reload()
    expect(page.frame_locator("iframe").locator(".comments")).to_contain_text("A reply to Ada")
    expect(page.frame_locator("iframe").locator(".comments")).not_to_contain_text("host")
    moderator = make.user(Role.MODERATOR)
    lifecycle.transition(comment, Action.APPROVE, moderator, now=utcnow())
    db.session.commit()
    page.reload()
    expect(page.frame_locator("iframe").locator(".comments")).to_contain_text(
        "Posted from the host page")
    assert page.frame_locator("iframe").locator(".comments strong", has_text="host").count() == 1
    # Chromium logs the two refused submissions (400 from the API); nothing else went wrong.
    assert page.console_errors == ["Failed to load resource: the server responded with a "
                                   "status of 400 (BAD REQUEST)"] * 2


def test_first_embed_creates_the_thread_when_the_site_allows_it(page, host, threads) -> None:
    site = threads[0].site
    site.auto_create_threads = True
    db.session.commit()
    page.goto(f"{host.url}/fresh")
    frame = page.frame_locator("iframe")
    expect(frame.locator("#comments-heading")).to_have_text("0 comments")
    expect(frame.get_by_role("link", name="Sign in to comment")).to_be_visible()
    db.session.expire_all()
    created = db.session.scalars(sa.select(Thread).where(Thread.key == "fresh-post")).one()
    assert (created.title, created.url, created.site_id) == ("A fresh post", f"{host.url}/fresh",
                                                             site.id)
    wait_for_fit(page, "iframe")
    assert page.console_errors == []


def test_a_host_on_an_origin_not_allowed_cannot_frame_the_thread(page, stranger, threads) -> None:
    page.goto(f"{stranger.url}/")
    iframe = page.locator("iframe")
    expect(iframe).to_have_count(1)
    deadline = time.monotonic() + 10
    while not any("frame-ancestors" in e for e in page.console_errors):
        assert time.monotonic() < deadline, page.console_errors
        time.sleep(0.05)
    frame = iframe.element_handle().content_frame()
    # Chromium replaced the document with its own error page: no Board content at all.
    assert frame.url.startswith("chrome-error://"), frame.url
    assert "First approved comment" not in (frame.evaluate(
        "() => document.documentElement ? document.documentElement.innerText : ''") or "")
    assert page.frame_locator("iframe").locator(".comments").count() == 0
