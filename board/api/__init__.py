"""The public JSON API, version 1 (SPEC 5), at ``/api/v1``."""
from flask import Blueprint

from .auth import load_api_user

bp = Blueprint("api", __name__)
bp.before_request(load_api_user)

from . import members, moderation, openapi, threads  # noqa: E402,F401  (routes register on bp)
