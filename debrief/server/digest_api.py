"""The digest in `debrief serve`'s API and page: POST /api/digest starts a digest job
(polled on /api/jobs/{id} like any job), GET /api/digest lists its stories, /digest/
shows the digest page and serves the files it links to.

Served pages keep their own Content-Security-Policy and are sandboxed on top of it: a
story's review page runs its script in an origin of its own, not the API's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)

from debrief.errors import DebriefError
from debrief.server.digest_service import DigestRunning, ServerDigest
from debrief.server.fields import ApiError, read_fields, text_field
from debrief.server.service import Busy

_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}
# On top of each page's own policy: no same-origin access to this server, links to the
# originals open in a tab of their own.
SANDBOX = "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox"
MAX_FEEDS = 100


def feeds_field(fields: dict[str, Any]) -> list[str]:
    """`feeds`: a list of URLs, or text with one URL a line; [] when not given."""
    value = fields.get("feeds")
    if value is None:
        return []
    if isinstance(value, str):
        text_field(fields, "feeds")
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(url, str) for url in value):
        raise ApiError(400, "'feeds' must be a list of feed URLs, or one URL a line")
    if len(value) > MAX_FEEDS:
        raise ApiError(400, f"'feeds' holds {len(value)} URLs; send at most {MAX_FEEDS}")
    return [url.strip() for url in value if url.strip()]


def max_items_field(fields: dict[str, Any]) -> int | None:
    value = fields.get("max_items")
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(400, "'max_items' must be a whole number of at least 1")
    return value


def add_digest_routes(
    app: FastAPI,
    digest: ServerDigest | None,
    *,
    check_key: Callable[[dict[str, Any], Request], None],
    glossary_of: Callable[[dict[str, Any]], Any],
    max_bytes: int,
) -> None:
    """The digest's routes; without a digest folder they answer 404 with the remedy."""

    def kept() -> ServerDigest:
        if digest is None:
            raise ApiError(
                404, "this server keeps no digest; start debrief serve with --digest-dir DIR"
            )
        return digest

    @app.post("/api/digest", status_code=202)
    async def api_digest(request: Request) -> dict[str, Any]:
        """Start a digest of {feeds} (else the server's --feeds), {since}, {max_items}."""
        found = kept()
        fields = await read_fields(request, max_bytes)
        check_key(fields, request)
        feeds, since = feeds_field(fields), text_field(fields, "since") or None
        max_items, glossary = max_items_field(fields), glossary_of(fields)
        try:
            plan = found.plan(feeds, since, max_items, glossary)
            job = found.submit(plan)
        except DebriefError as error:
            raise ApiError(400, str(error)) from None
        except DigestRunning as error:
            raise ApiError(409, str(error)) from None
        except Busy as error:
            raise ApiError(429, str(error)) from None
        return {"id": job.id, "status": job.status}

    @app.get("/api/digest")
    async def api_digest_stories() -> dict[str, Any]:
        """The digest's stories, as digest.json lists them, and the running job's id."""
        found = kept()
        return {"stories": found.stories(), "running": found.running_job}

    @app.get("/digest", include_in_schema=False)
    async def digest_root() -> Response:
        kept()
        return RedirectResponse("/digest/")

    @app.get("/digest/", response_class=HTMLResponse, include_in_schema=False)
    async def digest_page() -> Response:
        return HTMLResponse(kept().page(), headers=_served_headers())

    @app.get("/digest/{name}", include_in_schema=False)
    async def digest_file(name: str) -> Response:
        path = kept().file(name)
        if path is None:
            return JSONResponse({"error": f"the digest has no file {name[:80]!r}"}, 404)
        media_type = _MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")
        return FileResponse(path, media_type=media_type, headers=_served_headers())


def _served_headers() -> dict[str, str]:
    return {"Content-Security-Policy": SANDBOX, "X-Content-Type-Options": "nosniff"}
