"""Bad input of every kind gets a 4xx with the error shape, never a 500, and loses nothing."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from board.extensions import db
from board.models import Comment
from board.vocabulary import Role, State

from .conftest import assert_error

HOSTILE_STRINGS = [
    "😀" * 500,                                  # emoji, astral plane
    "\u202eevil\u202c right-to-left override",   # RTL marks
    "zero\u200bwidth\u200d\ufeffjoiners",         # zero-width characters
    "e" + "\u0301" * 300,                         # combining characters piled up
    "\U000e0041tag characters\U000e007f",
    "x" * 100_000,                                # very long
    "<script>alert(1)</script>",
    "\x00",
    "line\r\nbreaks\rand\ttabs",
    "\ud800",                                     # lone surrogate (sent as a JSON escape)
]
# (method, path template, a valid body) for every route that takes a JSON body.
BODY_ROUTES = [
    ("POST", "/members", {"email": "n@example.org", "display_name": "N",
                          "password": "correct horse battery"}),
    ("POST", "/tokens", {"email": "m@example.org", "password": "correct horse battery"}),
    ("POST", "/threads", {"key": "k1", "title": "T", "url": "https://example.org/"}),
    ("PATCH", "/threads/{key}", {"is_open": True}),
    ("POST", "/threads/{key}/comments", {"body": "hello", "consent": True}),
    ("POST", "/comments/{comment}/reports", {"reason": "spam"}),
    ("POST", "/moderation/comments/{comment}/decisions", {"action": "unpublish", "version": 2,
                                                          "reason": "spam"}),
    ("POST", "/moderation/decisions", {"action": "unpublish", "reason": "spam",
                                       "items": [{"id": 1, "version": 2}]}),
    ("POST", "/moderation/members/{member}/suspension", {"reason": "abuse"}),
]


@pytest.fixture
def world(make, token_for):  # type: ignore[no-untyped-def]
    """A thread with one accepted, approved comment, and staff and member tokens."""
    thread, member = make.thread("post-1"), make.user(email="m@example.org")
    comment = make.comment(thread, member, "Accepted earlier.", State.APPROVED)
    staff = make.user(Role.ADMIN)
    return {"thread": thread, "comment": comment, "member": member,
            "token": token_for(staff), "member_token": token_for(member)}


def _path(template: str, world) -> str:  # type: ignore[no-untyped-def]
    return template.format(key=world["thread"].key, comment=world["comment"].id,
                           member=world["member"].id)


def _raw(api, method, path, data, token, content_type="application/json"):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    return api.client.open(f"/api/v1{path}", method=method, data=data, headers=headers)


def _nothing_lost(world) -> None:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    comment = db.session.get(Comment, world["comment"].id)
    assert comment is not None and comment.body_raw == "Accepted earlier."
    assert comment.state == State.APPROVED


MALFORMED = [
    (b"{", "invalid_json"),
    (b'{"body": "x",}', "invalid_json"),
    (b"[]", "invalid_json"),
    (b'"text"', "invalid_json"),
    (b"null", "invalid_json"),
    (b"", "invalid_json"),
    (b'{"a": NaN}', "invalid_json"),
    (b"\xff\xfe{}", "invalid_utf8"),
    (b'{"body": "\xc3\x28"}', "invalid_utf8"),
    (b"[" * 100_000 + b"]" * 100_000, None),
]


@pytest.mark.parametrize("method, template, valid", BODY_ROUTES)
def test_malformed_bodies(api, world, method, template, valid) -> None:
    for data, code in MALFORMED:
        response = _raw(api, method, _path(template, world), data, world["token"])
        assert 400 <= response.status_code < 500, (data[:20], response.get_data(as_text=True))
        assert_error(response, response.status_code, code)
    _nothing_lost(world)


@pytest.mark.parametrize("method, template, valid", BODY_ROUTES)
def test_wrong_content_type_and_huge_bodies(api, world, method, template, valid) -> None:
    path = _path(template, world)
    assert_error(_raw(api, method, path, json.dumps(valid), world["token"], "text/plain"), 415)
    assert_error(_raw(api, method, path, "x=1", world["token"],
                      "application/x-www-form-urlencoded"), 415)
    huge = json.dumps({**valid, "padding": "x" * 300_000})
    assert_error(_raw(api, method, path, huge, world["token"]), 413)
    _nothing_lost(world)


@pytest.mark.parametrize("method, template, valid", BODY_ROUTES)
def test_wrong_types_and_nulls_in_every_field(api, world, method, template, valid) -> None:
    path = _path(template, world)
    for name in valid:
        for wrong in (None, 12, 1.5, True, [], {}, "text"):
            if type(wrong) is type(valid[name]) or (wrong is None and False):
                continue
            response = _raw(api, method, path, json.dumps({**valid, name: wrong}),
                            world["token"])
            assert response.status_code < 500, (name, wrong, response.get_data(as_text=True))
            if response.status_code >= 400:
                assert_error(response, response.status_code)
    _nothing_lost(world)


@pytest.mark.parametrize("method, template, valid", BODY_ROUTES)
def test_hostile_strings_in_every_field(api, world, method, template, valid) -> None:
    path = _path(template, world)
    for text in HOSTILE_STRINGS:
        for name, value in valid.items():
            if not isinstance(value, str):
                continue
            data = json.dumps({**valid, name: text})  # ensure_ascii: lone surrogates as \\ud800
            response = _raw(api, method, path, data, world["token"])
            assert response.status_code < 500, (name, response.get_data(as_text=True))
            if response.status_code >= 400:
                assert_error(response, response.status_code)
    _nothing_lost(world)


def test_hostile_comment_bodies_are_stored_safely(api, world) -> None:
    for text in HOSTILE_STRINGS:
        response = _raw(api, "POST", "/threads/post-1/comments",
                        json.dumps({"body": text, "consent": True}), world["member_token"])
        assert response.status_code in (202, 400, 429), response.get_data(as_text=True)
    stored = db.session.scalars(sa.select(Comment.body_html)).all()
    assert all("<script" not in html for html in stored)


@pytest.mark.parametrize("path", [
    "/threads/post-1/comments?limit=abc", "/threads/post-1/comments?cursor=%00%ff",
    "/threads/%F0%9F%98%80", "/comments/0", "/comments/-1", "/moderation/queue?queue=bogus",
    "/moderation/queue?member=x", "/moderation/queue?cursor=zzz",
])
def test_bad_query_and_path_values(api, world, path) -> None:
    response = api.get(path, token=world["token"])
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)


def test_unknown_routes_and_methods_answer_json(api, world) -> None:
    assert_error(api.get("/nothing"), 404, "not_found")
    response = api.call("PUT", "/threads/post-1")
    assert_error(response, 405, "method_not_allowed")
