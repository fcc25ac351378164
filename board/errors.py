"""Domain errors, and their mapping to HTTP answers (JSON for the API, pages for browsers)."""
from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException


class BoardError(Exception):
    """An expected failure with a status, a snake_case code and a sentence for a person."""

    status = 400
    code = "bad_request"
    message = "The request could not be processed."

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 status: int | None = None, **extra: Any) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        if code:
            self.code = code
        if status:
            self.status = status
        self.extra = extra


class ValidationError(BoardError):
    """Input that does not meet the rules (400)."""


class AuthRequired(BoardError):
    status = 401
    code = "auth_required"
    message = "Please sign in first."


class Forbidden(BoardError):
    status = 403
    code = "forbidden"
    message = "You are not allowed to do that."


class AccountSuspended(Forbidden):
    code = "account_suspended"
    message = "Your account is suspended, so you cannot comment at the moment."


class NotFound(BoardError):
    status = 404
    code = "not_found"
    message = "There is nothing here."


class Conflict(BoardError):
    status = 409
    code = "conflict"
    message = "That conflicts with the current state."


class InvalidTransition(Conflict):
    code = "invalid_transition"
    message = "That action is not possible for a comment in this state."


class StaleVersion(Conflict):
    code = "stale_version"
    message = "Someone else has already decided this comment."


class ThreadClosed(Conflict):
    code = "thread_closed"
    message = "This thread is closed to new comments."


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    """The single error shape of SPEC 5."""
    return {"error": {"code": code, "message": message}}


def wants_json() -> bool:
    """API paths and clients that ask for JSON get JSON errors."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


HTTP_CODES = {
    400: "bad_request", 401: "auth_required", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 429: "rate_limited", 500: "internal_error",
}


def init_app(app: Flask) -> None:
    """Register handlers that turn errors into JSON for the API and pages for people."""
    from .deadline import DeadlineExceeded, acknowledge
    from .extensions import db

    @app.errorhandler(BoardError)
    def board_error(error: BoardError):
        db.session.rollback()
        if wants_json():
            return jsonify(error_body(error.code, error.message)), error.status
        if error.status == 401:
            return redirect(url_for("auth.login", next=request.full_path))
        return render_template("error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if wants_json():
            code = HTTP_CODES.get(status, "http_error")
            message = error.description or "The request could not be processed."
            response = jsonify(error_body(code, message))
            response.status_code = status
            for name in ("Retry-After", "Allow"):
                if error.get_response().headers.get(name):
                    response.headers[name] = error.get_response().headers[name]
            return response
        return render_template("error.html", status=status, message=error.description), status

    @app.errorhandler(DeadlineExceeded)
    def deadline_exceeded(error: DeadlineExceeded):
        # Stopped by the request deadline (board/deadline.py): nothing of it is kept.
        acknowledge()
        db.session.rollback()
        message = "This request took too long and was stopped. Please try again in a moment."
        if wants_json():
            response = jsonify(error_body("request_timeout", message))
        else:
            response = app.make_response(render_template("error.html", status=503,
                                                         message=message))
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        message = "Something went wrong on our side. Please try again in a moment."
        if wants_json():
            return jsonify(error_body("internal_error", message)), 500
        return render_template("error.html", status=500, message=message), 500
