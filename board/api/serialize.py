"""JSON shapes of the API's records."""
from __future__ import annotations

from typing import Any

from ..models import Comment, CommentEvent, Thread
from ..timeutil import isoformat
from ..vocabulary import Reason, State


def public_comment(comment: Comment) -> dict[str, Any]:
    """An approved comment as readers see it (personal information already masked)."""
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": {"display_name": comment.author.display_name if comment.author else None},
        "body_html": comment.body_html,
        "created_at": isoformat(comment.created_at),
    }


def comment_for(comment: Comment, *, is_author: bool, is_staff: bool) -> dict[str, Any]:
    """A comment with its state; the reason for its author, the version for staff."""
    data = public_comment(comment)
    data.update(thread_key=comment.thread.key, state=comment.state.value)
    if (is_author or is_staff) and comment.state in (State.REJECTED, State.UNPUBLISHED) \
            and comment.reason:
        reason = Reason(comment.reason)
        data["reason"] = {"code": reason.value, "label": reason.label,
                          "explanation": reason.explanation}
    if is_staff or is_author:
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
