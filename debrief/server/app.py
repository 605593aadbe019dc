"""The web app of `debrief serve`: the page, a LibreTranslate-compatible API and debrief's
own API, over one `DebriefService` (the models, loaded once, and the job's code).

Errors are JSON, never a traceback: `{"error": "..."}` with 400 (a bad request, an
unsupported language pair, an input debrief cannot read), 403 (a wrong API key, or a
key-less server asked by another origin's page), 404 (no such job or path), 405 (a
method a path does not take), 409 (deleting a running job), 413 (too large, however the
body is sent), 421 (a Host this server is not), 429 (too busy).
"""

from __future__ import annotations

import hmac
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from debrief import __version__
from debrief.brief import Debrief
from debrief.documents import DOCUMENT_FORMATS
from debrief.errors import DebriefError, InputError
from debrief.outputs.formats import (
    article_to_dict,
    debrief_to_dict,
    render_markdown,
    render_text,
)
from debrief.outputs.review import render_debrief
from debrief.server.digest_api import add_digest_routes
from debrief.server.digest_service import ServerDigest
from debrief.server.fields import (
    ApiError,
    check_unicode,
    read_fields,
    read_upload,
    text_field,
)
from debrief.server.html_text import html_text, translate_html
from debrief.server.libretranslate import (
    LANGUAGES,
    SUGGESTIONS_DISABLED,
    detections,
    frontend_settings,
)
from debrief.server.page import render_page
from debrief.server.service import FILE_SUFFIXES, Busy, DebriefService, Job, TooLarge
from translate.glossary import Glossary

# The paths LibreTranslate's clients call, which pages of other origins may call too.
LIBRETRANSLATE_PATHS = frozenset(
    {"/translate", "/detect", "/languages", "/frontend/settings", "/suggest", "/translate_file"}
)
_MEDIA_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    **{suffix: found.media_type for suffix, found in DOCUMENT_FORMATS.items()},
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, X-API-Key, Authorization",
    "Access-Control-Max-Age": "600",
}
# A request body over this many bytes is refused before it is read as JSON or a form.
BODY_BYTES_PER_CHAR = 4


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _key_bytes(given: str, from_header: bool) -> bytes:
    # Headers arrive decoded as Latin-1 (raw bytes, one character each); JSON and form
    # fields as Unicode. Compared as bytes, a key of any script matches itself.
    return given.encode("latin-1" if from_header else "utf-8", errors="surrogateescape")


def _host_name(host: str) -> str:
    """The name of a Host header, without its port: `[::1]:8000` and `[::1]` are ::1."""
    try:
        return (urlsplit(f"//{host}").hostname or "").lower()
    except ValueError:  # an unclosed bracket, a port that is no number
        return ""


def _same_origin(origin: str, host: str) -> bool:
    try:
        return urlsplit(origin).netloc.lower() == host.lower()
    except ValueError:
        return False


def create_app(
    service: DebriefService,
    *,
    api_key: str | None = None,
    hosts: frozenset[str] | None = None,
    cors_origins: frozenset[str] | None = None,
    digest: ServerDigest | None = None,
) -> FastAPI:
    """The app over `service`; with `api_key`, every API call must carry it. With
    `hosts`, requests naming another Host are refused (a web page that rebinds its own
    name to this machine's address is not served); without `api_key`, a POST from a
    page of another origin is refused (a page may not drive a key-less local server).
    The LibreTranslate endpoints answer other origins' pages as LibreTranslate does
    (CORS: `Access-Control-Allow-Origin: *`, preflights answered), or only those of
    `cors_origins`; debrief's own /api stays same-origin. With `digest`, the digest's
    API and view (debrief/server/digest_api.py)."""
    app = FastAPI(
        title="debrief",
        version=__version__,
        description="German news in, an English translation and a checked brief out.",
    )
    max_bytes = service.max_chars * BODY_BYTES_PER_CHAR

    expected_key = api_key.encode("utf-8", errors="surrogateescape") if api_key else b""

    def check_key(fields: dict[str, Any], request: Request) -> None:
        if api_key is None:
            return
        # apiKey: the npm client's spelling (LibreTranslate itself reads only api_key).
        field = fields.get("api_key", fields.get("apiKey"))
        header = request.headers.get("x-api-key")
        if field is not None and not isinstance(field, str):
            raise ApiError(403, "invalid API key")
        given = _key_bytes(field, False) if field else _key_bytes(header or "", True)
        if not hmac.compare_digest(given, expected_key):
            raise ApiError(403, "invalid API key")

    def cors_headers(origin: str | None) -> dict[str, str]:
        if origin is None:
            return {}
        if cors_origins is None:
            return {"Access-Control-Allow-Origin": "*"}
        if origin in cors_origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {}

    @app.middleware("http")
    async def boundaries(request: Request, call_next):
        response = await _within_boundaries(request, call_next)
        if request.url.path in LIBRETRANSLATE_PATHS:
            response.headers.update(cors_headers(request.headers.get("origin")))
        return response

    async def _within_boundaries(request: Request, call_next):
        origin = request.headers.get("origin")
        if (
            request.method == "OPTIONS"
            and request.url.path in LIBRETRANSLATE_PATHS
            and request.headers.get("access-control-request-method")
        ):
            allowed = cors_headers(origin)
            if not allowed:
                return _error(403, "this server does not take requests from that origin")
            return Response(status_code=204, headers={**allowed, **PREFLIGHT_HEADERS})
        host = request.headers.get("host", "")
        name = _host_name(host)
        if hosts is not None and name not in hosts:
            return _error(
                421, f"this server answers to {', '.join(sorted(hosts))}, not {host[:80]!r}"
            )
        if (
            api_key is None
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and origin is not None
            and not _same_origin(origin, host)
        ):
            return _error(
                403,
                "a request from another web page's origin is refused; start the server "
                "with --api-key to let other pages use it with the key",
            )
        return await call_next(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail))

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error(400, "invalid request: " + "; ".join(e["msg"] for e in error.errors()))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        return _error(500, f"internal error ({type(error).__name__}); see the server's log")

    async def guarded(work, *args):
        """Run blocking work in a thread, within the server's capacity, mapping errors."""
        try:
            service.acquire()
        except Busy as error:
            raise ApiError(429, str(error)) from None
        try:
            return await run_in_threadpool(work, *args)
        except TooLarge as error:
            raise ApiError(413, str(error)) from None
        except DebriefError as error:
            raise ApiError(400, str(error)) from None
        finally:
            service.release()

    def checked_fields(fields: dict[str, Any]) -> tuple[str | None, str | None, bytes | None]:
        text, url, file = (
            text_field(fields, "text"),
            text_field(fields, "url"),
            fields.get("file"),
        )
        if file is not None and not isinstance(file, bytes | str):
            raise ApiError(400, "'file' must be a file")
        if isinstance(file, str):
            check_unicode(file, "file")
        data = file.encode("utf-8") if isinstance(file, str) else file
        return text or None, url or None, data or None

    def article_of(fields: dict[str, Any]):
        text, url, data = checked_fields(fields)
        return service.article(text=text, url=url, data=data)

    def glossary_of(fields: dict[str, Any]) -> Glossary | None:
        """The request's own glossary (TSV or CSV text, or an uploaded file) over the
        server's; None: the server's alone."""
        value = fields.get("glossary")
        if value is None:
            return None
        if isinstance(value, str):
            check_unicode(value, "glossary")
            value = value.encode("utf-8")
        if not isinstance(value, bytes):
            raise ApiError(400, "'glossary' must be TSV or CSV text: German<TAB>English a line")
        try:
            return service.request_glossary(value)
        except InputError as error:
            raise ApiError(400, str(error)) from None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(
            render_page(
                service.max_chars,
                api_key is not None,
                digest_feeds(digest),
                len(service.glossary.terms) if service.glossary else 0,
            )
        )

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "translation_model": service.translator.name,
            "summary_model": service.summarizer.name,
            "jobs": len(service.jobs),
        }

    @app.get("/languages")
    async def languages() -> list[dict[str, Any]]:
        return LANGUAGES

    @app.post("/detect")
    async def detect(request: Request) -> list[Any]:
        """LibreTranslate's /detect: candidates for q (a string), or a list of them for
        each text of q (a list)."""
        fields = await read_fields(request, max_bytes)
        check_key(fields, request)
        q = fields.get("q")
        texts = [q] if isinstance(q, str) else q
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "q must be a string or a list of strings")
        for text in texts:
            check_unicode(text, "q")
        answers = [await run_in_threadpool(detections, text) for text in texts]
        return answers[0] if isinstance(q, str) else answers

    @app.get("/frontend/settings")
    async def settings() -> dict[str, Any]:
        return frontend_settings(service.max_chars, api_key is not None, FILE_SUFFIXES)

    @app.post("/translate_file")
    async def translate_file(request: Request) -> dict[str, Any]:
        """LibreTranslate's /translate_file: a .txt, .html or .docx file (multipart field
        `file`), source de or auto, target en; answers where to download the English."""
        form = await read_upload(request, max_bytes)
        check_key(form.fields, request)
        source, target = form.fields.get("source", "auto"), form.fields.get("target", "en")
        if source not in ("de", "auto") or target != "en":
            raise ApiError(
                400, f"{source} -> {target} is not supported; debrief translates de -> en"
            )
        if form.data is None:
            raise ApiError(400, "no file given; send it as the multipart field 'file'")
        done = await guarded(service.translate_file, form.data, form.filename or "document.txt")
        base = str(request.base_url).rstrip("/")
        return {"translatedFileUrl": f"{base}/download_file/{done.token}/{done.name}"}

    @app.get("/download_file/{token}/{name}")
    async def download_file(token: str, name: str) -> Response:
        found = service.files.get(token)
        if found is None or found.name != name:
            raise ApiError(404, "no such translated file; it may be gone: translate it again")
        return Response(
            found.data,
            media_type=_MEDIA_TYPES.get(Path(found.name).suffix, "application/octet-stream"),
            headers={"Content-Disposition": f'attachment; filename="{found.name}"'},
        )

    @app.post("/suggest")
    async def suggest() -> JSONResponse:
        return _error(403, SUGGESTIONS_DISABLED)

    @app.post("/translate")
    async def translate(request: Request) -> dict[str, Any]:
        """LibreTranslate's /translate: q (a string or a list), source de or auto,
        target en, format text or html."""
        fields = await read_fields(request, max_bytes)
        check_key(fields, request)
        q = fields.get("q")
        source, target = fields.get("source", "auto"), fields.get("target", "en")
        if source not in ("de", "auto") or target != "en":
            raise ApiError(
                400, f"{source} -> {target} is not supported; debrief translates de -> en"
            )
        if fields.get("format", "text") not in ("text", "html"):
            raise ApiError(400, "format must be text or html")
        texts = [q] if isinstance(q, str) else q
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "q must be a string or a list of strings")
        for text in texts:
            check_unicode(text, "q")
        html = fields.get("format") == "html"
        count = _alternatives_field(fields)
        translated = await guarded(_translate_texts, service, texts, html)
        answer: dict[str, Any] = {
            "translatedText": translated[0] if isinstance(q, str) else translated
        }
        if count:
            others = [[] for _ in texts]
            if not html:  # alternatives of markup would be a guess at where tags go
                others = await guarded(service.alternatives, texts, translated, count)
            answer["alternatives"] = others[0] if isinstance(q, str) else others
        if source == "auto":
            judged = [html_text(text) for text in texts] if html else texts
            found = [detections(text)[0] for text in judged]
            answer["detectedLanguage"] = found[0] if isinstance(q, str) else found
        return answer

    @app.post("/api/translate")
    async def api_translate(request: Request) -> dict[str, Any]:
        """The translation record (as `debrief translate --format json`) of {text}, {url}
        or a file."""
        fields = await read_fields(request, max_bytes)
        check_key(fields, request)
        glossary = glossary_of(fields)
        translated = await guarded(lambda: service.translate(article_of(fields), None, glossary))
        return article_to_dict(translated)

    @app.post("/api/run")
    async def api_run(request: Request) -> dict[str, Any]:
        """The record `debrief run` writes (translation, brief, checks, support)."""
        fields = await read_fields(request, max_bytes)
        check_key(fields, request)
        glossary = glossary_of(fields)
        debrief = await guarded(lambda: service.run(article_of(fields), None, glossary))
        return debrief_to_dict(debrief)

    @app.post("/api/jobs", status_code=202)
    async def api_jobs(request: Request) -> dict[str, Any]:
        """Start `debrief run` on {text}, {url} or a file; poll GET /api/jobs/{id}."""
        fields = await read_fields(request, max_bytes)
        check_key(fields, request)
        checked_fields(fields)  # {"text": 5} is a 400 now, not a job that fails later
        glossary = glossary_of(fields)
        try:
            if isinstance(fields.get("text"), str):
                service.check_size(fields["text"])
            job = service.submit(lambda job: service.run(article_of(fields), job, glossary))
            upload = fields.get("file")
            if isinstance(upload, bytes):
                job.keep_document(upload)
        except Busy as error:
            raise ApiError(429, str(error)) from None
        except TooLarge as error:
            raise ApiError(413, str(error)) from None
        return {"id": job.id, "status": job.status}

    def find(job_id: str) -> Job:
        job = service.jobs.get(job_id)
        if job is None:
            raise ApiError(404, f"no job {job_id}")
        return job

    @app.get("/api/jobs/{job_id}")
    async def api_job(job_id: str) -> dict[str, Any]:
        return find(job_id).to_dict()

    @app.delete("/api/jobs/{job_id}")
    async def api_job_delete(job_id: str, request: Request) -> dict[str, Any]:
        """Forget a finished job and its result (409 while it runs)."""
        check_key({}, request)
        job = find(job_id)
        if not service.forget(job.id):
            raise ApiError(409, f"job {job_id} is {job.status}; delete it when it has finished")
        return {"id": job.id, "deleted": True}

    @app.get("/api/jobs/{job_id}/{name}")
    async def api_job_file(job_id: str, name: str) -> Response:
        """The finished job's files: result.en.txt, result.md, result.json, result.html
        (downloads), and view (the review page, shown in place)."""
        job = find(job_id)
        if job.status != "done" or not isinstance(job.result, Debrief):
            raise ApiError(404, f"job {job_id} has no result yet")
        debrief = job.result
        files = {
            "result.en.txt": (_MEDIA_TYPES[".txt"], lambda: render_text(debrief.translated)),
            "result.md": (
                "text/markdown; charset=utf-8",
                lambda: render_markdown(debrief.translated),
            ),
            "result.json": (
                "application/json; charset=utf-8",
                lambda: json.dumps(debrief_to_dict(debrief), ensure_ascii=False, indent=2),
            ),
            "result.html": (_MEDIA_TYPES[".html"], lambda: render_debrief(debrief)),
        }
        if job.document_file is not None:
            files[job.document_file] = (
                job.document_format.media_type,
                lambda: job.document_format.write(
                    job.document, "the uploaded document", debrief.translated
                ),
            )
        if name == "view":  # the review page shown in the page's frame
            return HTMLResponse(render_debrief(debrief))
        if name not in files:
            raise ApiError(404, f"no file {name}; ask for one of {', '.join(files)}")
        media_type, render = files[name]
        return Response(
            render(),
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    add_digest_routes(
        app, digest, check_key=check_key, glossary_of=glossary_of, max_bytes=max_bytes
    )
    return app


def digest_feeds(digest: ServerDigest | None) -> int | None:
    """How many feeds the server's digest reads by itself (None: it keeps no digest)."""
    return None if digest is None else len(digest.feeds)


# LibreTranslate's own limit on `alternatives`.
MAX_ALTERNATIVES = 3


def _alternatives_field(fields: dict[str, Any]) -> int:
    value = fields.get("alternatives", 0)
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "'alternatives' must be a whole number from 0 to 3") from None
    if not 0 <= count <= MAX_ALTERNATIVES or isinstance(value, bool | float):
        raise ApiError(400, "'alternatives' must be a whole number from 0 to 3")
    return count


def _translate_texts(service: DebriefService, texts: list[str], html: bool) -> list[str]:
    if not html:
        return service.translate_texts(texts)
    return [translate_html(text, service.translate_texts) for text in texts]
