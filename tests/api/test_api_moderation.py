"""API: a moderator clears the queue with the API alone; reports, withdrawal, suspension."""
from __future__ import annotations

from datetime import timedelta

import pytest

from board.extensions import db
from board.models import Comment, User
from board.timeutil import utcnow
from board.vocabulary import AccountStatus, Role, State

from .conftest import assert_error


@pytest.fixture
def staff(make, token_for):  # type: ignore[no-untyped-def]
    user = make.user(Role.MODERATOR, name="Mo")
    return token_for(user)


def test_a_moderator_clears_the_queue_with_the_api_alone(api, make, token_for, staff) -> None:
    thread = make.thread("post-1")
    member = token_for(make.user(name="Writer"))
    bodies = ["Thanks for the update.", "Call me at 202-555-0143 please.", "Buy cheap pills",
              "I agree with the plan.", "Great work!"]
    ids = [api.post("/threads/post-1/comments", {"body": b, "consent": True},
                    token=member).get_json()["id"] for b in bodies]
    assert_error(api.get("/moderation/queue", token=member), 403)
    assert_error(api.get("/moderation/queue"), 401)

    page = api.get("/moderation/queue?limit=2", token=staff).get_json()
    seen = []
    while True:
        for item in page["items"]:
            assert item["state"] == "pending" and item["thread_key"] == "post-1"
            assert item["author"]["display_name"] == "Writer"
            seen.append(item)
        if not page["next_cursor"]:
            break
        page = api.get(f"/moderation/queue?limit=2&cursor={page['next_cursor']}",
                       token=staff).get_json()
    assert sorted(i["id"] for i in seen) == sorted(ids)
    # The risky comment (personal information) comes before the plain ones.
    pii = next(i for i in seen if "202-555" in i["body_raw"])
    assert pii["flags"] and seen.index(pii) < seen.index(next(i for i in seen if not i["flags"]))
    assert "202-555-0143" not in pii["body_html"]

    pii_decision = api.post(f"/moderation/comments/{pii['id']}/decisions",
                            {"action": "reject", "reason": "personal_information",
                             "version": pii["version"]}, token=staff)
    assert pii_decision.get_json() == {"id": pii["id"], "state": "rejected", "version": 2}
    rest = [i for i in seen if i["id"] != pii["id"]]
    bulk = api.post("/moderation/decisions", {"action": "approve", "items": [
        {"id": i["id"], "version": i["version"]} for i in rest]}, token=staff).get_json()
    assert all(r["ok"] and r["state"] == "approved" for r in bulk["results"])
    assert api.get("/moderation/queue", token=staff).get_json() == {"items": [],
                                                                    "next_cursor": None}
    listing = api.get("/threads/post-1/comments").get_json()["comments"]
    assert len(listing) == 4

    stale = api.post(f"/moderation/comments/{pii['id']}/decisions",
                     {"action": "republish", "version": 1}, token=staff)
    assert_error(stale, 409, "stale_version")
    assert "Mo" in stale.get_json()["error"]["message"]
    invalid = api.post(f"/moderation/comments/{pii['id']}/decisions",
                       {"action": "approve", "version": 2}, token=staff)
    assert_error(invalid, 409, "invalid_transition")
    assert_error(api.post(f"/moderation/comments/{rest[0]['id']}/decisions",
                          {"action": "unpublish", "version": 2}, token=staff), 400,
                 "reason_required")
    history = api.get(f"/moderation/comments/{pii['id']}/decisions", token=staff).get_json()
    assert [(e["action"], e["to_state"]) for e in history["decisions"]] == [
        ("submit", "pending"), ("reject", "rejected")]
    assert history["decisions"][1]["actor"]["display_name"] == "Mo"
    assert_error(api.get("/moderation/comments/999999/decisions", token=staff), 404)


def test_bulk_items_succeed_or_fail_one_by_one(api, make, staff) -> None:
    thread, author = make.thread(), make.user()
    first, second = make.comment(thread, author), make.comment(thread, author)
    result = api.post("/moderation/decisions", {"action": "approve", "items": [
        {"id": first.id, "version": 1}, {"id": second.id, "version": 7},
        {"id": 999999, "version": 1}]}, token=staff).get_json()["results"]
    assert [r["ok"] for r in result] == [True, False, False]
    assert result[1]["error"]["code"] == "stale_version"
    assert result[2]["error"]["code"] == "not_found"
    assert db.session.get(Comment, first.id).state == State.APPROVED
    assert db.session.get(Comment, second.id).state == State.PENDING
    assert_error(api.post("/moderation/decisions", {"action": "approve", "items": []},
                          token=staff), 400, "invalid_items")


def test_queue_filters(api, make, staff) -> None:
    one, two = make.thread("one"), make.thread("two")
    author, other = make.user(), make.user()
    make.comment(one, author, "plain words")
    make.comment(two, other, "call 202-555-0143")
    assert [i["thread_key"] for i in api.get("/moderation/queue?thread=two",
                                             token=staff).get_json()["items"]] == ["two"]
    by_member = api.get(f"/moderation/queue?member={author.id}", token=staff).get_json()
    assert [i["author"]["id"] for i in by_member["items"]] == [author.id]
    flagged = api.get("/moderation/queue?queue=flagged", token=staff).get_json()["items"]
    assert [i["thread_key"] for i in flagged] == ["two"]
    assert_error(api.get("/moderation/queue?queue=everything", token=staff), 400)


def test_members_report_and_the_author_withdraws(api, make, token_for, staff) -> None:
    thread, author, reader = make.thread(), make.user(), make.user()
    comment = make.comment(thread, author, "Published words", State.APPROVED)
    reader_token, author_token = token_for(reader), token_for(author)
    first = api.post(f"/comments/{comment.id}/reports", {"reason": "disrespectful"},
                     token=reader_token)
    assert first.status_code == 201
    again = api.post(f"/comments/{comment.id}/reports", {"reason": "spam"}, token=reader_token)
    assert again.status_code == 200
    assert_error(api.post(f"/comments/{comment.id}/reports", {"reason": "rude"},
                          token=reader_token), 400)
    assert_error(api.post(f"/comments/{comment.id}/reports", {"reason": "spam"}), 401)
    assert_error(api.post("/comments/999999/reports", {"reason": "spam"}, token=reader_token), 404)
    reported = api.get("/moderation/queue?queue=reported", token=staff).get_json()["items"]
    assert [(i["id"], i["report_count"]) for i in reported] == [(comment.id, 1)]

    assert_error(api.delete(f"/comments/{comment.id}", token=reader_token), 404)
    withdrawn = api.delete(f"/comments/{comment.id}", token=author_token)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["state"] == "withdrawn"
    assert_error(api.delete(f"/comments/{comment.id}", token=author_token), 409,
                 "invalid_transition")
    assert api.get("/threads/" + thread.key + "/comments").get_json()["comments"] == []


def test_suspend_and_reinstate(api, make, token_for, staff) -> None:
    thread, member = make.thread(), make.user()
    member_token = token_for(member)
    until = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    response = api.post(f"/moderation/members/{member.id}/suspension",
                        {"reason": "Repeated insults", "until": until.isoformat() + "Z"},
                        token=staff)
    assert response.status_code == 200
    assert response.get_json()["status"] == "suspended"
    assert response.get_json()["suspended_until"] == until.isoformat() + "Z"
    blocked = api.post(f"/threads/{thread.key}/comments", {"body": "hi", "consent": True},
                       token=member_token)
    assert_error(blocked, 403, "account_suspended")
    assert "Repeated insults" in blocked.get_json()["error"]["message"]
    assert_error(api.post(f"/moderation/members/{member.id}/suspension", {"reason": "x",
                          "until": "next tuesday"}, token=staff), 400, "invalid_until")
    assert_error(api.post(f"/moderation/members/{member.id}/suspension", {}, token=staff), 400)
    assert_error(api.post(f"/moderation/members/{member.id}/suspension", {"reason": "x"},
                          token=member_token), 403)
    lifted = api.delete(f"/moderation/members/{member.id}/suspension", token=staff)
    assert lifted.status_code == 200 and lifted.get_json()["status"] == "active"
    assert db.session.get(User, member.id).status == AccountStatus.ACTIVE
    assert api.post(f"/threads/{thread.key}/comments", {"body": "hi", "consent": True},
                    token=member_token).status_code == 202
    assert_error(api.delete("/moderation/members/999999/suspension", token=staff), 404)
