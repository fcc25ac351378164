"""JSON shapes of the API's records."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload

from ..comments.author_view import author_status
from ..models import Comment, CommentEvent, Thread
from ..timeutil import isoformat
from ..vocabulary import State


def shown_parent_id(comment: Comment) -> int | None:
    """The parent's id if readers can see the parent; a reply to a comment that is no longer
    public reads as a top-level comment and does not point at it.

    Reads ``comment.parent``: load it with the comments (``PARENT_STATE``) for a list.
    """
    if comment.parent_id is None:
        return None
    parent = comment.parent
    return comment.parent_id if parent is not None and parent.state == State.APPROVED else None


# The loader option that brings each listed comment's parent state in the same query.
PARENT_STATE = joinedload(Comment.parent).load_only(Comment.id, Comment.state)


def public_comment(comment: Comment) -> dict[str, Any]:
    """An approved comment as readers see it (personal information already masked)."""
    return {
        "id": comment.id,
        "parent_id": shown_parent_id(comment),
        "author": {"display_name": comment.author.display_name if comment.author else None},
        "body_html": comment.body_html,
        "created_at": isoformat(comment.created_at),
    }


def comment_for(comment: Comment, *, is_author: bool, is_staff: bool) -> dict[str, Any]:
    """A comment with its state; for its author and staff, the reason (or that it is hidden
    while moderators review reports, when nobody has decided one) and the version."""
    data = public_comment(comment)
    data.update(thread_key=comment.thread.key, state=comment.state.value)
    if is_staff:
        data["parent_id"] = comment.parent_id
    if is_author or is_staff:
        status = author_status(comment)
        if status.reason is not None:
            data["reason"] = {"code": status.reason.value, "label": status.reason.label,
                              "explanation": status.reason.explanation}
        if status.under_review:
            data["under_review"] = True
            data["notice"] = status.explanation
        data["version"] = comment.version
    return data


def thread(thread: Thread, comment_count: int) -> dict[str, Any]:
    """A thread's public description."""
    return {"key": thread.key, "title": thread.title, "url": thread.url,
            "is_open": thread.is_open, "comment_count": comment_count}


def event(event: CommentEvent) -> dict[str, Any]:
    """One history row."""
    return {
        "version": event.version,
        "action": event.action.value,
        "from_state": event.from_state.value if event.from_state else None,
        "to_state": event.to_state.value,
        "reason": event.reason.value if event.reason else None,
        "note": event.note,
        "actor": {"id": event.actor.id, "display_name": event.actor.display_name}
        if event.actor else None,
        "created_at": isoformat(event.created_at),
    }
