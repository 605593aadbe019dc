"""The fields of an API request, as LibreTranslate's clients and debrief's page send
them: JSON, a form (files as bytes) or the query string; the body read as it streams in
and refused as soon as it passes the server's limit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request's body, read as it streams in and refused (413) as soon as it passes
    `max_bytes`, whatever its Content-Length said (or a chunked body did not say)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, "the request is larger than this server takes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise ApiError(413, "the request is larger than this server takes")
    return bytes(body)


@dataclass
class Upload:
    fields: dict[str, Any]
    data: bytes | None
    filename: str | None


async def read_upload(request: Request, max_bytes: int) -> Upload:
    """A multipart request's fields and its one file (field `file`)."""
    body = await read_body(request, max_bytes)
    request._body = body
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(400, "send the file as multipart/form-data, in the field 'file'")
    form = await request.form()
    fields: dict[str, Any] = dict(request.query_params)
    data = filename = None
    for key, value in form.multi_items():
        if hasattr(value, "read"):
            if key == "file":
                data, filename = await value.read(), value.filename
        else:
            fields[key] = value
    return Upload(fields, data, filename)


async def read_fields(request: Request, max_bytes: int) -> dict[str, Any]:
    """The request's fields, from JSON, a form (files as bytes) or the query string, as
    LibreTranslate reads them (deep-translator sends only the query string); a field in
    the body wins over the same one in the query."""
    fields = await _body_fields(request, max_bytes)
    query: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        existing = query.get(key)
        query[key] = value if existing is None else [*_as_list(existing), value]
    return {**query, **fields}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


async def _body_fields(request: Request, max_bytes: int) -> dict[str, Any]:
    body = await read_body(request, max_bytes)
    request._body = body  # what Starlette's form parser reads, once the stream is spent
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        fields: dict[str, Any] = {}
        for key, value in form.multi_items():
            if hasattr(value, "read"):
                value = await value.read()
            if key in fields:
                existing = fields[key]
                fields[key] = (
                    [*existing, value] if isinstance(existing, list) else [existing, value]
                )
            else:
                fields[key] = value
        return fields
    if not body:
        return {}
    try:
        fields = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiError(400, "the body is not valid JSON") from None
    if not isinstance(fields, dict):
        raise ApiError(400, "the body must be a JSON object")
    return fields


def text_field(fields: dict[str, Any], name: str) -> str | None:
    """Field `name` as a string of valid Unicode (a lone surrogate, which JSON allows,
    cannot be translated or written), or None; anything else is a 400."""
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"'{name}' must be a string")
    check_unicode(value, name)
    return value


def check_unicode(value: str, name: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = value[error.start]
        raise ApiError(
            400, f"'{name}' holds U+{ord(bad):04X}, a lone surrogate; send valid Unicode"
        ) from None
