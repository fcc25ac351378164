"""The member's API tokens page."""
from __future__ import annotations

import re

import sqlalchemy as sa

from board.extensions import db
from board.models import ApiToken

from ..builders import post_form, sign_in


def test_create_list_and_revoke_tokens(client, make) -> None:
    member = make.user(email="m@example.org")
    other = make.user()
    from board.accounts import issue_token
    from board.timeutil import utcnow
    issue_token(other, utcnow(), 3600, "someone else's")
    sign_in(client, "m@example.org")
    response = post_form(client, "/me/tokens", {"label": "my script"})
    html = response.get_data(as_text=True)
    token = re.search(r'<pre class="raw" id="new-token">([^<]+)</pre>', html).group(1)
    assert "my script" in html and "someone else" not in html
    api = {"Authorization": f"Bearer {token}"}
    thread = make.thread()
    ok = client.post(f"/api/v1/threads/{thread.key}/comments", json={"body": "hi", "consent": True},
                     headers=api)
    assert ok.status_code == 202
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == member.id))
    assert row.last_used_at is not None
    assert token not in client.get("/me/tokens").get_data(as_text=True)  # shown once only
    post_form(client, f"/me/tokens/{row.id}/revoke", {}, page="/me/tokens")
    assert "revoked" in client.get("/me/tokens").get_data(as_text=True)
    refused = client.post(f"/api/v1/threads/{thread.key}/comments",
                          json={"body": "again", "consent": True}, headers=api)
    assert refused.status_code == 401


def test_members_cannot_revoke_others_tokens(client, make) -> None:
    from board.accounts import issue_token
    from board.timeutil import utcnow

    other = make.user()
    _, row = issue_token(other, utcnow(), 3600, "theirs")
    make.user(email="m@example.org")
    sign_in(client, "m@example.org")
    response = post_form(client, f"/me/tokens/{row.id}/revoke", {}, page="/me/tokens")
    assert response.status_code == 404
    assert db.session.get(ApiToken, row.id).revoked_at is None
    assert client.get("/me/tokens").status_code == 200


def test_signed_out_readers_are_sent_to_sign_in(client) -> None:
    response = client.get("/me/tokens")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
