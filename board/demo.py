"""Sample data for a first look: ``board demo``."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from . import accounts, lifecycle
from .comments.service import Submission, submit_comment
from .extensions import db
from .models import Site, SiteOrigin, Thread, User
from .threads import create_thread
from .vocabulary import Action, Reason, Role

SIGN_INS = [
    ("admin", "admin@example.org", "board-admin-demo"),
    ("moderator", "moderator@example.org", "board-moderator-demo"),
    ("member", "alice@example.org", "board-member-demo"),
    ("member", "bob@example.org", "board-member-demo"),
]
NAMES = {
    "admin@example.org": "Ada Admin",
    "moderator@example.org": "Mo Moderator",
    "alice@example.org": "Alice Reader",
    "bob@example.org": "Bob Neighbour",
}
TERMS = "2026-01"


def load_demo(now: datetime) -> bool:
    """Create the demo records unless they exist; returns whether anything was created."""
    if db.session.scalar(sa.select(User.id).where(User.email == "admin@example.org")):
        return False
    users = {
        email: accounts.create_user(email, NAMES[email], password, Role(role), now=now)
        for role, email, password in SIGN_INS
    }
    site = Site(name="Demo Agency", created_at=now, origins=[
        SiteOrigin(origin="http://127.0.0.1:8000"), SiteOrigin(origin="http://localhost:8000"),
    ])
    db.session.add(site)
    db.session.commit()
    welcome = create_thread("welcome", "Welcome to our new blog", "http://127.0.0.1:8000/welcome",
                            site=site, now=now)
    parks = create_thread("parks-plan", "Draft plan for the city parks",
                          "http://127.0.0.1:8000/parks-plan", site=site, now=now)
    moderator = users["moderator@example.org"]
    alice, bob = users["alice@example.org"], users["bob@example.org"]

    def comment(thread: Thread, author: User, body: str, minutes_ago: int,
                parent_id: int | None = None):
        return submit_comment(thread, author, Submission(body, True, parent_id),
                              now=now - timedelta(minutes=minutes_ago), terms_version=TERMS,
                              max_length=20_000)

    def decide(target, action: Action, reason: Reason | None = None,
               minutes_ago: int = 0) -> None:
        lifecycle.transition(target, action, moderator, now=now - timedelta(minutes=minutes_ago),
                             reason=reason)
        db.session.commit()

    first = comment(welcome, alice, "Congratulations on the new blog! Will you post the "
                    "meeting minutes here too?", 300)
    decide(first, Action.APPROVE, minutes_ago=290)
    reply = comment(welcome, bob, "Seconded. The *minutes* would be very useful.", 280, first.id)
    decide(reply, Action.APPROVE, minutes_ago=270)
    comment(welcome, bob, "Is there a way to subscribe by e-mail?", 90)
    spam = comment(welcome, bob, "BUY CHEAP WATCHES http://spam.example/a http://spam.example/b "
                   "http://spam.example/c http://spam.example/d", 60)
    decide(spam, Action.REJECT, Reason.SPAM, minutes_ago=55)
    pii = comment(parks, alice, "My case is stuck, call me on 202-555-0143 about A123456789.", 45)
    decide(pii, Action.REJECT, Reason.PERSONAL_INFORMATION, minutes_ago=40)
    good = comment(parks, alice, "More benches near the pond, please. And shade for the "
                   "playground.", 200)
    decide(good, Action.APPROVE, minutes_ago=190)
    off = comment(parks, bob, "Off topic, but the bus timetable changed again.", 150)
    decide(off, Action.APPROVE, minutes_ago=140)
    decide(off, Action.UNPUBLISH, Reason.OFF_TOPIC, minutes_ago=130)
    mine = comment(parks, bob, "I take this back, I misread the plan.", 30)
    lifecycle.transition(mine, Action.WITHDRAW, bob, now=now - timedelta(minutes=25))
    db.session.commit()
    comment(parks, alice, "Will the dog park stay open during the works?", 10)
    return True
