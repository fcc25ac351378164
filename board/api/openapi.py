"""The OpenAPI 3 document of API v1, served at ``/api/v1/openapi.json``.

A test checks that every route of the blueprint is described here and that the
responses match it (schemathesis), so the document stays true to the code.
"""
from __future__ import annotations

from typing import Any

from flask import jsonify

from . import bp

ERROR_CODES = {
    "400": "Invalid input (see error.code)",
    "401": "No valid token",
    "403": "Not allowed",
    "404": "Not found",
    "409": "Conflict with the current state",
    "413": "Request body too large",
    "415": "Body is not JSON",
    "422": "Idempotency-Key already used for a different request",
    "429": "Rate limited; see Retry-After",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: str) -> dict[str, Any]:
    return {s: {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
INT = {"type": "integer"}
NINT = {"type": ["integer", "null"]}
TIME = {"type": "string", "format": "date-time"}
NTIME = {"type": ["string", "null"], "format": "date-time"}
ID_PARAM = {"name": "comment_id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}
KEY_PARAM = {"name": "key", "in": "path", "required": True,
             "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$"}}
MEMBER_PARAM = {"name": "member_id", "in": "path", "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}
LIMIT_PARAM = {"name": "limit", "in": "query",
               "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}
CURSOR_PARAM = {"name": "cursor", "in": "query", "schema": {"type": "string"}}
BEARER: list[dict[str, list[str]]] = [{"bearer": []}]

SCHEMAS: dict[str, Any] = {
    "Error": _obj(["error"], error=_obj(["code", "message"], code=STR, message=STR)),
    "Thread": _obj(["key", "title", "url", "is_open", "comment_count"], key=STR, title=STR,
                   url=STR, is_open={"type": "boolean"}, comment_count=INT),
    "PublicComment": _obj(
        ["id", "parent_id", "author", "body_html", "created_at"], id=INT, parent_id=NINT,
        author=_obj(["display_name"], display_name=NSTR), body_html=STR, created_at=TIME),
    "Reason": _obj(["code", "label", "explanation"], code=STR, label=STR, explanation=STR),
    "Comment": {"allOf": [
        {"$ref": "#/components/schemas/PublicComment"},
        _obj(["thread_key", "state"], thread_key=STR,
             state={"type": "string",
                    "enum": ["pending", "approved", "rejected", "unpublished", "withdrawn"]},
             version=INT, reason=_ref("Reason"), under_review={"type": "boolean"},
             notice=STR),
    ]},
    "Flag": _obj(["code", "severity", "detail", "span"], code=STR,
                 severity={"type": "string", "enum": ["info", "warn", "block"]}, detail=STR,
                 span={"type": ["array", "null"], "items": INT}),
    "QueueItem": _obj(
        ["id", "thread_key", "author", "body_raw", "body_html", "state", "version", "flags",
         "report_count", "created_at"],
        id=INT, thread_key=STR,
        author={"type": ["object", "null"], "properties": {"id": INT, "display_name": STR}},
        parent_id=NINT, body_raw=STR, body_html=STR, state=STR, version=INT, reason=NSTR,
        flags={"type": "array", "items": _ref("Flag")}, risk=INT, report_count=INT,
        report_reasons={"type": "array",
                        "items": _obj(["code", "count"], code=STR, count=INT)},
        created_at=TIME),
    "Event": _obj(["version", "action", "from_state", "to_state", "reason", "note", "actor",
                   "created_at"], version=INT, action=STR, from_state=NSTR, to_state=STR,
                  reason=NSTR, note=NSTR,
                  actor={"type": ["object", "null"],
                         "properties": {"id": INT, "display_name": STR}},
                  created_at=TIME),
    "Decision": _obj(["action", "version"],
                     action={"type": "string",
                             "enum": ["approve", "reject", "unpublish", "republish"]},
                     version=INT, reason=NSTR, note=NSTR),
    "MemberState": _obj(["id", "display_name", "status", "suspended_until", "suspension_reason"],
                        id=INT, display_name=STR, status=STR, suspended_until=NTIME,
                        suspension_reason=NSTR),
}


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    error = {"application/json": {"schema": _ref("Error")}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Board API", "version": "1.0.0",
                 "description": "Moderated comments: threads, comments, reports, moderation."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "responses": {f"E{s}": {"description": d, "content": error}
                          for s, d in ERROR_CODES.items()},
        },
        "paths": PATHS,
    }


PATHS: dict[str, Any] = {
    "/members": {"post": {
        "operationId": "createMember", "summary": "Register a member account",
        "requestBody": _body(_obj(["email", "display_name", "password"], email=STR,
                                  display_name=STR, password=STR)),
        "responses": {"201": _json(_obj(["id", "display_name"], id=INT, display_name=STR),
                                   "Created"), **_errors("400", "403", "409", "413", "415", "429")},
    }},
    "/tokens": {"post": {
        "operationId": "createToken", "summary": "Exchange credentials for an API token",
        "requestBody": _body(_obj(["email", "password"], email=STR, password=STR, label=STR)),
        "responses": {"201": _json(_obj(["token", "expires_at"], token=STR, expires_at=TIME),
                                   "Created"), **_errors("400", "401", "413", "415", "429")},
    }},
    "/tokens/current": {"delete": {
        "operationId": "revokeToken", "summary": "Revoke the token of this request",
        "security": BEARER,
        "responses": {"204": {"description": "Revoked"}, **_errors("401")},
    }},
    "/threads": {"post": {
        "operationId": "createThread", "summary": "Create a thread (staff)", "security": BEARER,
        "requestBody": _body(_obj(["key", "title", "url"], key=STR, title=STR, url=STR)),
        "responses": {"201": _json(_ref("Thread"), "Created"),
                      **_errors("400", "401", "403", "409", "413", "415")},
    }},
    "/threads/{key}": {
        "parameters": [KEY_PARAM],
        "get": {"operationId": "getThread", "summary": "A thread",
                "responses": {"200": _json(_ref("Thread")), **_errors("404")}},
        "patch": {
            "operationId": "updateThread", "summary": "Open or close a thread (staff)",
            "security": BEARER,
            "requestBody": _body({"type": "object", "properties": {
                "is_open": {"type": "boolean"}, "title": STR, "url": STR}}),
            "responses": {"200": _json(_ref("Thread")),
                          **_errors("400", "401", "403", "404", "413", "415")},
        },
    },
    "/threads/{key}/comments": {
        "parameters": [KEY_PARAM],
        "get": {
            "operationId": "listComments", "summary": "Approved comments, oldest first",
            "parameters": [CURSOR_PARAM, LIMIT_PARAM],
            "responses": {
                "200": {**_json(_obj(["comments", "next_cursor"],
                                     comments={"type": "array", "items": _ref("PublicComment")},
                                     next_cursor=NSTR)),
                        "headers": {"ETag": {"schema": STR}}},
                "304": {"description": "Not modified (If-None-Match matched)"},
                **_errors("400", "404"),
            },
        },
        "post": {
            "operationId": "submitComment", "summary": "Submit a comment for moderation",
            "security": BEARER,
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                            "description": "A retry with the same key within 24 hours gets "
                                           "the first answer and stores nothing new.",
                            "schema": {"type": "string", "minLength": 1, "maxLength": 200,
                                       "pattern": "^[\\x20-\\x7e]+$"}}],
            "requestBody": _body(_obj(["body", "consent"], body=STR, parent_id=NINT,
                                      consent={"type": "boolean"})),
            "responses": {
                "202": _json(_obj(["id", "state"], id=INT, state=STR), "Accepted"),
                **_errors("400", "401", "403", "404", "409", "413", "415", "422", "429"),
            },
        },
    },
    "/comments/{comment_id}": {
        "parameters": [ID_PARAM],
        "get": {"operationId": "getComment", "summary": "A comment and where it stands",
                "responses": {"200": _json(_ref("Comment")), **_errors("404")}},
        "delete": {"operationId": "withdrawComment", "summary": "Withdraw your own comment",
                   "security": BEARER,
                   "responses": {"200": _json(_obj(["id", "state"], id=INT, state=STR,
                                                   version=INT)),
                                 **_errors("401", "404", "409")}},
    },
    "/comments/{comment_id}/reports": {
        "parameters": [ID_PARAM],
        "post": {
            "operationId": "reportComment", "summary": "Report an approved comment",
            "security": BEARER,
            "requestBody": _body(_obj(["reason"], reason=STR, note=NSTR)),
            "responses": {
                "201": _json(_obj(["id", "comment_id", "reason"], id=INT, comment_id=INT,
                                  reason=STR), "Reported"),
                "200": _json(_obj(["id", "comment_id", "reason"], id=INT, comment_id=INT,
                                  reason=STR), "Already reported by you"),
                **_errors("400", "401", "404", "413", "415", "429"),
            },
        },
    },
    "/moderation/queue": {"get": {
        "operationId": "moderationQueue", "summary": "A moderation queue (staff)",
        "security": BEARER,
        "parameters": [
            {"name": "queue", "in": "query", "schema": {"type": "string", "enum": [
                "pending", "reported", "flagged", "rejected", "unpublished", "approved"]}},
            {"name": "flag", "in": "query", "schema": STR},
            {"name": "thread", "in": "query", "schema": STR},
            {"name": "member", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            CURSOR_PARAM, LIMIT_PARAM,
        ],
        "responses": {"200": _json(_obj(["items", "next_cursor"],
                                        items={"type": "array", "items": _ref("QueueItem")},
                                        next_cursor=NSTR)),
                      **_errors("400", "401", "403")},
    }},
    "/moderation/comments/{comment_id}/decisions": {
        "parameters": [ID_PARAM],
        "post": {
            "operationId": "decide", "summary": "Decide one comment (staff)", "security": BEARER,
            "requestBody": _body(_ref("Decision")),
            "responses": {"200": _json(_obj(["id", "state", "version"], id=INT, state=STR,
                                            version=INT)),
                          **_errors("400", "401", "403", "404", "409", "413", "415")},
        },
        "get": {
            "operationId": "history", "summary": "A comment's decision history (staff)",
            "security": BEARER,
            "responses": {"200": _json(_obj(["decisions"], decisions={
                "type": "array", "items": _ref("Event")})), **_errors("401", "403", "404")},
        },
    },
    "/moderation/decisions": {"post": {
        "operationId": "decideBulk", "summary": "One action on many comments (staff)",
        "security": BEARER,
        "requestBody": _body(_obj(["action", "items"],
                                  action={"type": "string", "enum": [
                                      "approve", "reject", "unpublish", "republish"]},
                                  reason=NSTR, note=NSTR,
                                  items={"type": "array", "minItems": 1, "maxItems": 500,
                                         "items": _obj(["id", "version"], id=INT, version=INT)})),
        "responses": {"200": _json(_obj(["results"], results={"type": "array", "items": _obj(
            ["id", "ok", "state", "version", "error"], id=INT, ok={"type": "boolean"},
            state=NSTR, version=NINT,
            error={"type": ["object", "null"], "properties": {"code": STR, "message": STR}})})),
            **_errors("400", "401", "403", "413", "415")},
    }},
    "/moderation/members/{member_id}/suspension": {
        "parameters": [MEMBER_PARAM],
        "post": {
            "operationId": "suspend", "summary": "Suspend a member (staff)", "security": BEARER,
            "requestBody": _body(_obj(["reason"], reason=STR, until=NTIME)),
            "responses": {"200": _json(_ref("MemberState")),
                          **_errors("400", "401", "403", "404", "413", "415")},
        },
        "delete": {
            "operationId": "reinstate", "summary": "Lift a suspension (staff)",
            "security": BEARER,
            "responses": {"200": _json(_ref("MemberState")), **_errors("401", "403", "404")},
        },
    },
}


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document."""
    return jsonify(document())
