"""Embedding threads in other sites: the iframe page, the loader script and popup sign-in."""
from flask import Blueprint

bp = Blueprint("embed", __name__)

from . import views  # noqa: E402,F401  (routes register on bp)
