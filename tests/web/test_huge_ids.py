"""Ids no record can have (beyond the database's integer) are "not found" everywhere, never 500.

Every rule of the URL map with an ``<int:...>`` argument is tried with such ids, for each of
its methods, signed out, as a member and as an admin; so are the ids that travel in query
strings (reply targets, filters, cursors) and in request bodies (reply parents, bulk items).
"""
from __future__ import annotations

import re
from typing import Any

import pytest
from werkzeug.routing import IntegerConverter

from board import accounts
from board.routing import MAX_ID, digits_up_to, fits_id, parse_id
from board.pagination import encode_cursor
from board.timeutil import utcnow
from board.vocabulary import Role, State

from ..builders import csrf_token, sign_in

HUGE = ["99999999999999999999999", str(2**31), str(2**63)]
WHO = ["anonymous", "member", "admin"]
INT_ARG = re.compile(r"<int(?:\([^)]*\))?:(\w+)>")


def _int_rules(app: Any) -> list[tuple[str, str]]:
    """(rule, method) for every route with an integer argument."""
    found = []
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            for method in sorted({"GET", "POST"} | (rule.methods - {"HEAD", "OPTIONS"})):
                found.append((rule.rule, method))
    return found


@pytest.fixture
def people(app, make) -> dict[str, Any]:
    """A thread with a published comment, a member and an admin with API tokens."""
    thread = make.thread("post-1")
    member = make.user(email="member@example.org")
    admin = make.user(Role.ADMIN, email="admin@example.org")
    make.comment(thread, member, "Hello there", State.APPROVED)
    return {
        "member": (member, accounts.issue_token(member, utcnow(), 3600, "t")[0]),
        "admin": (admin, accounts.issue_token(admin, utcnow(), 3600, "t")[0]),
    }


def _as(client, people, who: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Sign ``who`` in (page and API); the headers their API calls carry."""
    if who == "anonymous":
        return {}
    sign_in(client, f"{who}@example.org")
    return {"Authorization": f"Bearer {people[who][1]}"}


def test_every_rule_with_an_id_answers_404_for_ids_no_record_can_have(app, people) -> None:
    rules = _int_rules(app)
    assert len(rules) >= 20  # the table really is the app's
    for who in WHO:
        client = app.test_client()  # a fresh browser for each person
        headers = _as(client, people, who)
        token = csrf_token(client, "/auth/login" if who == "anonymous" else "/me/comments")
        for rule, method in rules:
            for value in HUGE:
                path = INT_ARG.sub(value, rule)
                if path.startswith("/api/"):
                    response = client.open(path, method=method, headers=headers,
                                           json={} if method != "GET" else None)
                else:
                    data = {"csrf_token": token} if method == "POST" else None
                    response = client.open(path, method=method, data=data)
                assert response.status_code == 404, (who, method, path, response.status_code)
                if path.startswith("/api/"):
                    assert response.get_json()["error"]["code"] == "not_found"


def _cursor(*values: Any) -> str:
    return encode_cursor(*values)


@pytest.mark.parametrize("value", HUGE)
def test_ids_in_query_strings_never_reach_the_database_unbounded(client, people, value) -> None:
    big = int(value)
    now = utcnow()
    _as(client, people, "admin")
    admin_headers = {"Authorization": f"Bearer {people['admin'][1]}"}
    pages = [
        f"/t/post-1?reply_to={value}",
        f"/embed/post-1?reply_to={value}",
        f"/moderation/?member={value}",
        f"/moderation/?queue=pending&cursor={_cursor('pending', big, now, big)}",
        f"/moderation/?queue=reported&cursor={_cursor('reported', 1, now, big)}",
        f"/moderation/log?actor={value}",
        f"/moderation/log?cursor={_cursor(now, big)}",
        f"/admin/log?actor={value}",
        f"/admin/log?cursor={_cursor(now, big)}",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code < 500, (page, response.status_code)
    for page in (f"/moderation/queue?member={value}",
                 f"/moderation/queue?cursor={_cursor('pending', 0, now, big)}",
                 f"/threads/post-1/comments?cursor={_cursor(now, big)}"):
        response = client.get(f"/api/v1{page}", headers=admin_headers)
        assert response.status_code in (200, 400), (page, response.status_code)
        if response.status_code == 400:
            assert set(response.get_json()["error"]) == {"code", "message"}
    # Anonymous readers of the page and the embed, whose answers may be cached.
    reader = client.application.test_client()
    for page in (f"/t/post-1?reply_to={value}", f"/embed/post-1?reply_to={value}"):
        assert reader.get(page).status_code == 200, page


@pytest.mark.parametrize("value", [2**31, 2**63, 99999999999999999999999])
def test_ids_in_request_bodies_are_refused_in_the_error_shape(client, people, value) -> None:
    member_headers = {"Authorization": f"Bearer {people['member'][1]}"}
    admin_headers = {"Authorization": f"Bearer {people['admin'][1]}"}
    response = client.post("/api/v1/threads/post-1/comments", headers=member_headers,
                           json={"body": "A reply", "consent": True, "parent_id": value})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] in ("parent_not_found", "invalid_type")

    response = client.post("/api/v1/moderation/decisions", headers=admin_headers,
                           json={"action": "approve", "items": [{"id": value, "version": 1}]})
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    data = response.get_json()
    if response.status_code == 200:
        assert data["results"][0]["ok"] is False
        assert data["results"][0]["error"]["code"] == "not_found"
    else:
        assert set(data["error"]) == {"code", "message"}


@pytest.mark.parametrize("value", HUGE)
def test_ids_in_page_forms_are_refused_politely(client, people, value) -> None:
    _as(client, people, "member")
    token = csrf_token(client, "/t/post-1")
    response = client.post("/t/post-1", data={"csrf_token": token, "body": "A reply",
                                              "consent": "y", "parent_id": value})
    assert response.status_code == 400, response.status_code
    client = client.application.test_client()
    _as(client, people, "admin")
    token = csrf_token(client, "/moderation/")
    response = client.post("/moderation/bulk", data={"csrf_token": token, "action": "approve",
                                                      "item": f"{value}:1"})
    assert response.status_code == 302, response.status_code


@pytest.mark.parametrize("limit", [0, 7, 9, 10, 19, 20, 100, 101, 999, 1000, 2**31 - 1])
def test_the_id_pattern_matches_exactly_the_numbers_up_to_its_limit(limit) -> None:
    pattern = re.compile(digits_up_to(limit) + r"\Z")
    probes = set(range(0, 1200)) | {limit - 1, limit, limit + 1, limit * 10, 2**31, 10**10}
    for n in sorted(p for p in probes if p >= 0):
        assert bool(pattern.match(str(n))) == (n <= limit), (limit, n)
    assert fits_id(MAX_ID) and not fits_id(MAX_ID + 1) and not fits_id(0)
    assert not fits_id(True) and parse_id("\u0661") is None and parse_id("007") == 7
