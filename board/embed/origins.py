"""Origins: which pages may frame a thread, and checks on what the loader reports."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from ..extensions import db
from ..models import Site, SiteOrigin, Thread

# What may appear in a CSP source list: scheme://host[:port], nothing that could end the
# directive or add another one (spaces, semicolons, commas, quotes).
_CSP_ORIGIN = re.compile(r"^https?://(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$")
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_origin(value: str | None) -> str | None:
    """``scheme://host[:port]`` in lower case without a default port, or None if not an origin."""
    if not isinstance(value, str) or not value or len(value) > 255:
        return None
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username or parts.password:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    suffix = f":{port}" if port and port != DEFAULT_PORTS[parts.scheme] else ""
    origin = f"{parts.scheme}://{host}{suffix}"
    return origin if _CSP_ORIGIN.match(origin) else None


def origin_of_url(url: str | None) -> str | None:
    """The normalised origin of an absolute http(s) URL, or None."""
    if not isinstance(url, str) or not url or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.username or parts.password:
        return None
    return normalise_origin(f"{parts.scheme}://{parts.netloc}")


def allowed_origins(thread: Thread | None) -> list[str]:
    """The normalised origins that may frame ``thread`` (those of its site), sorted."""
    if thread is None or thread.site is None:
        return []
    return sorted({o for row in thread.site.origins if (o := normalise_origin(row.origin))})


def frame_ancestors(origins: list[str]) -> str:
    """The CSP ``frame-ancestors`` sources: the allowed origins, else Board itself only."""
    return " ".join(origins) if origins else "'self'"


def sites_for_origin(origin: str) -> list[Site]:
    """Sites that allow ``origin`` (already normalised), oldest first."""
    candidates = {origin}
    scheme = origin.split("://", 1)[0]
    if origin.count(":") == 1:  # no explicit port: also match a stored default port
        candidates.add(f"{origin}:{DEFAULT_PORTS[scheme]}")
    return list(db.session.scalars(
        sa.select(Site).join(SiteOrigin).where(SiteOrigin.origin.in_(candidates))
        .order_by(Site.id).distinct()
    ))
