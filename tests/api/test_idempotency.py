"""Idempotent submission: the Idempotency-Key header of the API and the hidden key of the
page and embed forms. A retry gets the first answer and stores nothing new."""
from __future__ import annotations

import json
import re
import threading
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from board.comments import idempotency
from board.comments.app import receive
from board.comments.service import Submission
from board.extensions import db
from board.models import Comment, IdempotencyKey, Site, SiteOrigin
from board.timeutil import utcnow

from ..builders import csrf_token, sign_in
from .conftest import assert_error

PATH = "/threads/post-1/comments"


def comments() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) or 0


def send(api, token: str, key: str | None, body: str = "Exactly once, please.", **extra: Any):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post(PATH, {"body": body, "consent": True, **extra}, token=token, headers=headers)


def test_a_retry_gets_the_first_answer_and_stores_nothing(api, make, token_for) -> None:
    make.thread("post-1")
    token = token_for(make.user())
    first = send(api, token, "retry-1")
    assert first.status_code == 202 and "Idempotent-Replayed" not in first.headers
    again = send(api, token, "retry-1")
    assert again.status_code == 202 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert comments() == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey)) == 1
    # Without a key, or with another key, the same text is another comment.
    assert send(api, token, None).status_code == 202
    assert send(api, token, "retry-2").status_code == 202
    assert comments() == 3


def test_the_same_key_with_another_body_is_refused(api, make, token_for) -> None:
    make.thread("post-1")
    token = token_for(make.user())
    assert send(api, token, "k-1").status_code == 202
    assert_error(send(api, token, "k-1", body="Something else"), 422, "idempotency_key_reused")
    assert_error(send(api, token, "k-1", parent_id=None, consent=False), 422,
                 "idempotency_key_reused")
    assert comments() == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "clé", "tab\there", "del\x7f"])
def test_keys_are_1_to_200_printable_ascii_characters(api, make, token_for, key) -> None:
    make.thread("post-1")
    assert_error(send(api, token_for(make.user()), key), 400, "invalid_idempotency_key")
    assert comments() == 0


def test_a_200_character_key_is_fine(api, make, token_for) -> None:
    make.thread("post-1")
    token = token_for(make.user())
    key = "~ !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}" * 5 + "abcde"
    assert len(key) == 200
    assert send(api, token, key).status_code == 202
    assert send(api, token, key).headers["Idempotent-Replayed"] == "true"


def test_keys_belong_to_one_account(api, make, token_for) -> None:
    make.thread("post-1")
    assert send(api, token_for(make.user()), "shared").status_code == 202
    other = send(api, token_for(make.user()), "shared")
    assert other.status_code == 202 and "Idempotent-Replayed" not in other.headers
    assert comments() == 2


def test_keys_expire_after_24_hours(api, make, token_for) -> None:
    make.thread("post-1")
    token = token_for(make.user())
    first = send(api, token, "day-old").get_json()
    row = db.session.scalars(sa.select(IdempotencyKey)).one()
    row.created_at -= timedelta(hours=24, seconds=1)
    db.session.commit()
    later = send(api, token, "day-old")
    assert later.status_code == 202 and later.get_json()["id"] != first["id"]
    assert comments() == 2
    db.session.expire_all()
    young = db.session.scalars(sa.select(IdempotencyKey)).one()
    young.created_at -= timedelta(hours=25)
    db.session.commit()
    assert idempotency.purge_expired(utcnow()) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey)) == 0


def test_errors_are_not_remembered(api, make, token_for) -> None:
    make.thread("post-1")
    token = token_for(make.user())
    assert_error(api.post(PATH, {"body": "No consent"}, token=token,
                          headers={"Idempotency-Key": "fix-and-retry"}), 400, "consent_required")
    assert send(api, token, "fix-and-retry", body="No consent").status_code == 202


# -- two requests with the same key at once ---------------------------------------------------

@pytest.fixture
def server(app):  # type: ignore[no-untyped-def]
    """The app on a real threaded HTTP server on 127.0.0.1."""
    running = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{running.server_port}"
    running.shutdown()
    thread.join(10)
    running.server_close()


def post(url: str, token: str, key: str, body: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url, data=json.dumps({"body": body, "consent": True}).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Idempotency-Key": key})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_concurrent_requests_with_one_key_store_one_comment(server, make, token_for) -> None:
    make.thread("post-1")
    token = token_for(make.user())
    senders = 6
    barrier = threading.Barrier(senders)
    answers: list[tuple[int, dict[str, Any]]] = []
    lock = threading.Lock()

    def send_one() -> None:
        barrier.wait(timeout=10)
        answer = post(f"{server}/api/v1{PATH}", token, "at-once", "Sent six times at once.")
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=send_one) for _ in range(senders)]
    for worker in threads:
        worker.start()
    for worker in threads:
        worker.join(60)
    assert len(answers) == senders
    assert {status for status, _ in answers} == {202}, answers
    assert len({body["id"] for _, body in answers}) == 1
    assert comments() == 1


def test_the_loser_of_a_race_rolls_back_and_replays_the_winner(app, make) -> None:
    """The loser looked the key up before the winner stored it: the unique constraint decides."""
    thread, author = make.thread("post-1"), make.user()
    thread_id, author_id = thread.id, author.id
    submission = Submission("One of two at once.", True, idempotency_key="raced")
    winner: dict[str, Any] = {}

    def the_winner_commits_first(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO COMMENTS") and not winner:
            winner["started"] = True

            def run() -> None:
                with app.app_context():
                    from board.models import Thread, User

                    receipt = receive(db.session.get(Thread, thread_id),
                                      db.session.get(User, author_id), submission)
                    winner["receipt"] = receipt.body
                    db.session.remove()

            other = threading.Thread(target=run)
            other.start()
            other.join(30)

    sa.event.listen(db.engine, "before_cursor_execute", the_winner_commits_first)
    try:
        loser = receive(thread, author, submission)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", the_winner_commits_first)
    assert "receipt" in winner
    assert loser.replayed and loser.body == winner["receipt"]
    assert comments() == 1


# -- the page and embed forms --------------------------------------------------------------

def form_fields(html: str) -> dict[str, str]:
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"|'
                    r'value="([^"]+)"[^>]*name="idempotency_key"', html)
    assert key, html
    return {"idempotency_key": key.group(1) or key.group(2)}


@pytest.mark.parametrize("page", ["/t/post-1", "/embed/post-1?origin=https://blog.example.org"])
def test_a_form_sent_twice_stores_one_comment(client, make, page) -> None:
    thread = make.thread("post-1")
    thread.site = Site(name="Blog", origins=[SiteOrigin(origin="https://blog.example.org")])
    db.session.commit()
    sign_in(client, make.user().email)
    html = client.get(page).get_data(as_text=True)
    data = {"csrf_token": csrf_token(client, page), "body": "Sent from the form.",
            "consent": "y", **form_fields(html)}
    first = client.post(page, data=data, follow_redirects=True)
    assert "awaits moderation" in first.get_data(as_text=True)
    again = client.post(page, data=data, follow_redirects=True)  # back, and send again
    assert again.status_code == 200
    assert "We already received this comment" in again.get_data(as_text=True)
    assert comments() == 1
    # The same form with edited text is a new comment; a fresh form has a fresh key.
    edited = client.post(page, data={**data, "body": "Sent again, edited."})
    assert edited.status_code == 302 and comments() == 2
    assert form_fields(client.get(page).get_data(as_text=True)) != form_fields(html)


def test_a_retry_gets_the_state_an_automatic_decision_gave(api, app, make, token_for) -> None:
    from board import settings
    from board.vocabulary import State

    thread, member = make.thread("post-1"), make.user()
    make.comment(thread, member, "An earlier, approved comment.", State.APPROVED)
    settings.put_setting(settings.POLICY_KEY, {"premoderate_all": False,
                                               "auto_approve_after": 1}, None)
    db.session.commit()
    app.config["SETTINGS_CACHE_SECONDS"] = 0
    token = token_for(member)
    first = send(api, token, "trusted")
    assert first.status_code == 202 and first.get_json()["state"] == "approved", first.get_json()
    again = send(api, token, "trusted")
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
