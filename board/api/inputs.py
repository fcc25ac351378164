"""Strict parsing of JSON request bodies and query parameters for the API.

Every way a body can be wrong becomes a 4xx with the error shape: not JSON (415),
invalid UTF-8, malformed or too deeply nested JSON, not an object, wrong types,
strings that cannot be stored (lone surrogates, NUL).
"""
from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import request

from ..errors import BoardError, ValidationError

T = TypeVar("T")
MISSING: Any = object()


class UnsupportedMediaType(BoardError):
    status = 415
    code = "unsupported_media_type"
    message = "Send the request body as JSON, with Content-Type: application/json."


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or a 4xx ``BoardError``."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType()
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError("The request body is not valid UTF-8.", code="invalid_utf8") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise ValidationError("The request body is not valid JSON.", code="invalid_json") from None
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.", code="invalid_json")
    return data


def check_text(value: str, name: str) -> str:
    """Refuse strings that no database can store (lone surrogates, NUL)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(f"'{name}' contains characters that are not valid Unicode text.",
                              code="invalid_text") from None
    if "\x00" in value:
        raise ValidationError(f"'{name}' must not contain NUL characters.", code="invalid_text")
    return value


def field(data: dict[str, Any], name: str, kind: type[T], *, required: bool = False,
          missing_code: str | None = None, default: Any = None) -> T:
    """``data[name]`` checked to be of ``kind`` (null counts as absent)."""
    value: Any = data.get(name)
    if value is None:
        if required:
            raise ValidationError(f"'{name}' is required.", code=missing_code or "missing_field")
        return default
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValidationError(f"'{name}' must be a whole number.", code="invalid_type")
    if kind is bool and not isinstance(value, bool):
        raise ValidationError(f"'{name}' must be true or false.", code="invalid_type")
    if kind is str:
        if not isinstance(value, str):
            raise ValidationError(f"'{name}' must be a string.", code="invalid_type")
        check_text(value, name)
    if kind is list and not isinstance(value, list):
        raise ValidationError(f"'{name}' must be a list.", code="invalid_type")
    if kind is int and not -(2**63) < value < 2**63:
        raise ValidationError(f"'{name}' is out of range.", code="invalid_type")
    return value


def query_limit(default: int = 50, maximum: int = 500) -> int:
    """The ``limit`` query parameter: 1 to ``maximum``."""
    raw = request.args.get("limit")
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= maximum:
        raise ValidationError(f"'limit' must be a whole number from 1 to {maximum}.",
                              code="invalid_limit")
    return int(raw)


def query_text(name: str, max_length: int = 200) -> str | None:
    """An optional short text query parameter."""
    value = request.args.get(name)
    if value is None or value == "":
        return None
    if len(value) > max_length:
        raise ValidationError(f"'{name}' is too long.", code=f"invalid_{name}")
    return check_text(value, name)


def path_id(raw: int) -> int:
    """Ids in paths are positive and fit the database's integer columns."""
    if not 0 < raw < 2**31:
        from ..errors import NotFound

        raise NotFound("There is no such record.")
    return raw
