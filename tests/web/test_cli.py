"""The ``board`` commands of SPEC 6."""
from __future__ import annotations

import sqlalchemy as sa

from board.accounts import token_digest
from board.demo import SIGN_INS
from board.extensions import db
from board.models import ApiToken, Comment, Site, Thread, User
from board.vocabulary import State


def test_create_user_reads_the_password_twice_from_stdin(runner) -> None:
    result = runner.invoke(args=["board", "create-user", "Mod@Example.org", "--role", "moderator",
                                 "--name", "Mo"], input="a good password\na good password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert (user.email, user.role.value, user.display_name) == ("mod@example.org", "moderator", "Mo")
    assert user.check_password("a good password")


def test_create_user_errors_are_one_clear_line(runner, make) -> None:
    make.user(email="taken@example.org")
    cases = [
        (["taken@example.org"], "a good password\na good password\n", "already exists"),
        (["new@example.org"], "a good password\nanother one!!\n", "do not match"),
        (["new@example.org"], "short\nshort\n", "at least 10"),
        (["bad-address"], "a good password\na good password\n", "valid e-mail"),
        (["new@example.org", "--role", "boss"], "a good password\na good password\n", "boss"),
    ]
    for args, stdin, message in cases:
        result = runner.invoke(args=["board", "create-user", *args], input=stdin)
        assert result.exit_code != 0
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert message in lines[-1]
        assert "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_token_prints_a_token_stored_only_hashed(runner, make) -> None:
    user = make.user(email="m@example.org")
    result = runner.invoke(args=["board", "token", "m@example.org"])
    assert result.exit_code == 0
    token = result.stdout.strip().splitlines()[0]
    row = db.session.scalar(sa.select(ApiToken))
    assert row.user_id == user.id and row.token_hash == token_digest(token) and token not in row.token_hash
    result = runner.invoke(args=["board", "token", "nobody@example.org"])
    assert result.exit_code != 0 and "No account" in result.output


def test_create_site_and_thread(runner) -> None:
    result = runner.invoke(args=["board", "create-site", "Agency", "--origin", "https://WWW.agency.gov/",
                                 "--origin", "http://localhost:8000"])
    assert result.exit_code == 0, result.output
    site = db.session.scalar(sa.select(Site))
    assert [o.origin for o in site.origins] == ["http://localhost:8000", "https://www.agency.gov"]
    assert runner.invoke(args=["board", "create-site", "Agency", "--origin",
                               "https://x.org"]).exit_code != 0
    assert runner.invoke(args=["board", "create-site", "Other", "--origin",
                               "javascript:alert(1)"]).exit_code != 0

    result = runner.invoke(args=["board", "create-thread", "post-1", "--title", "First post",
                                 "--url", "https://www.agency.gov/post-1", "--site", "Agency"])
    assert result.exit_code == 0, result.output
    thread = db.session.scalar(sa.select(Thread))
    assert (thread.key, thread.site_id, thread.is_open) == ("post-1", site.id, True)
    again = runner.invoke(args=["board", "create-thread", "post-1", "--title", "T", "--url",
                                 "https://example.org/p"])
    assert again.exit_code != 0 and "already exists" in again.output
    bad = runner.invoke(args=["board", "create-thread", "bad key!", "--title", "T", "--url", "/p"])
    assert bad.exit_code != 0 and "thread key" in bad.output
    missing = runner.invoke(args=["board", "create-thread", "p2", "--title", "T", "--url", "/p",
                                  "--site", "Nope"])
    assert missing.exit_code != 0 and "no site" in missing.output


def test_demo_loads_every_state_once_and_prints_the_sign_ins(runner) -> None:
    result = runner.invoke(args=["board", "demo"])
    assert result.exit_code == 0, result.output
    for _, email, password in SIGN_INS:
        assert email in result.output and password in result.output
        assert db.session.scalar(sa.select(User).where(User.email == email)).check_password(password)
    states = set(db.session.scalars(sa.select(Comment.state)))
    assert states == set(State)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Comment))
    again = runner.invoke(args=["board", "demo"])
    assert again.exit_code == 0 and "already present" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == count
