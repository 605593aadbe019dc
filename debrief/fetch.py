"""Fetch a web page: http(s) only, bounded in time, size and redirects, no cookies kept.

Every way a fetch can fail is one line a user can act on (an `InputError`): a host that
does not exist, refuses or does not answer, an HTTP error status, a body too large, a
document that is not HTML. Fetched pages can be kept in the cache folder, keyed by URL,
so that a resumed run does not fetch them again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from debrief import __version__
from debrief.errors import InputError, UsageError
from debrief.runtime.models import cache_directory

CONNECT_SECONDS = 10.0
TOTAL_SECONDS = 30.0
MAX_REDIRECTS = 5
USER_AGENT_VARIABLE = "DEBRIEF_USER_AGENT"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def default_user_agent() -> str:
    """$DEBRIEF_USER_AGENT, else one that names debrief and its version."""
    return os.environ.get(USER_AGENT_VARIABLE) or f"debrief/{__version__} (news translation)"


def is_url(source: str | Path) -> bool:
    """Whether an input names a web page rather than a file."""
    return str(source).lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchSettings:
    """How pages are fetched: `total_seconds` for a whole fetch (`connect_seconds` of it
    to connect), at most `max_redirects` redirects, and the User-Agent header."""

    total_seconds: float = TOTAL_SECONDS
    connect_seconds: float = CONNECT_SECONDS
    max_redirects: int = MAX_REDIRECTS
    user_agent: str | None = None

    def __post_init__(self) -> None:
        if not self.total_seconds > 0:
            raise UsageError("--fetch-timeout must be more than 0 seconds")


@dataclass(frozen=True)
class FetchedPage:
    """A page as the server sent it: where it ended up, its type and charset, its bytes."""

    url: str  # as asked for
    final_url: str  # after redirects
    content_type: str
    charset: str | None
    data: bytes


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _connection_failure(url: str, error: BaseException) -> InputError:
    host = _host(url)
    reason = error
    while getattr(reason, "reason", None) is not None and reason is not reason.reason:
        reason = reason.reason
    text = str(reason)
    if (
        isinstance(reason, socket.gaierror)
        or "Name or service not known" in text
        or ("Temporary failure in name resolution" in text)
    ):
        return InputError(f"{url}: no such host '{host}'; check the URL")
    if "timed out" in text.lower() or "timeout" in type(reason).__name__.lower():
        return InputError(
            f"{url}: {host} did not answer within the time allowed; try again later, or "
            "save the page from your browser and pass the .html file"
        )
    if "refused" in text.lower():
        return InputError(f"{url}: {host} refused the connection; check the URL")
    return InputError(f"{url}: could not reach {host} ({type(reason).__name__}); check the URL")


def fetch_page(url: str, *, max_bytes: int, settings: FetchSettings | None = None) -> FetchedPage:
    """GET `url` and return the page, or raise a one-line InputError.

    At most `max_bytes` of body, and what `settings` allow: redirects (each to http(s)),
    time to connect and for the whole fetch. No cookies are sent or kept.
    """
    import urllib3

    settings = settings or FetchSettings()
    connect_seconds, total_seconds = settings.connect_seconds, settings.total_seconds
    max_redirects, user_agent = settings.max_redirects, settings.user_agent
    if not is_url(url):
        raise InputError(f"{url}: only http:// and https:// URLs can be fetched")
    deadline = time.monotonic() + total_seconds
    pool = urllib3.PoolManager(
        headers={"User-Agent": user_agent or default_user_agent(), "Accept": "text/html"},
        retries=False,
    )
    current = url
    try:
        for _ in range(max_redirects + 1):
            remaining = max(0.1, deadline - time.monotonic())
            response = pool.request(
                "GET",
                current,
                redirect=False,
                preload_content=False,
                timeout=urllib3.Timeout(connect=min(connect_seconds, remaining), read=remaining),
            )
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                response.release_conn()
                current = urljoin(current, response.headers["Location"])
                if not is_url(current):
                    raise InputError(f"{url}: redirects to {current}, which is not http(s)")
                continue
            return _read_page(url, current, response, max_bytes, deadline)
        raise InputError(f"{url}: more than {max_redirects} redirects; check the URL")
    except urllib3.exceptions.HTTPError as error:
        raise _connection_failure(url, error) from None
    except OSError as error:
        raise _connection_failure(url, error) from None
    finally:
        pool.clear()


def _read_page(url: str, final_url: str, response, max_bytes: int, deadline: float) -> FetchedPage:
    import urllib3

    try:
        if response.status >= 400:
            raise InputError(
                f"{url}: the server answered {response.status} {response.reason or ''}".rstrip()
                + "; check the URL"
            )
        content_type = response.headers.get("Content-Type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if media_type and media_type not in HTML_TYPES:
            raise InputError(
                f"{url}: is {media_type}, not a web page; debrief reads HTML pages and text files"
            )
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise _too_large(url, max_bytes)
        body = bytearray()
        for chunk in response.stream(64 * 1024):
            body += chunk
            if len(body) > max_bytes:
                raise _too_large(url, max_bytes)
            if time.monotonic() > deadline:
                raise InputError(
                    f"{url}: {_host(url)} did not send the page within the time allowed; "
                    "try again later"
                )
    except urllib3.exceptions.HTTPError as error:
        raise _connection_failure(url, error) from None
    finally:
        response.release_conn()
    charset = None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return FetchedPage(url, final_url, media_type or "text/html", charset, bytes(body))


def _too_large(url: str, max_bytes: int) -> InputError:
    return InputError(
        f"{url}: the page is larger than {max_bytes / 1024 / 1024:.1f} MB; raise the limit "
        "with --max-input-mb"
    )


class PageCache:
    """Fetched pages on disk, one file per URL under the cache folder. A file that cannot
    be read back (damaged, half-written by a killed run) counts as not cached."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or cache_directory() / "pages"

    def _path(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")

    def get(self, url: str) -> FetchedPage | None:
        try:
            record = json.loads(self._path(url).read_text(encoding="utf-8"))
            return FetchedPage(
                url=record["url"],
                final_url=record["final_url"],
                content_type=record["content_type"],
                charset=record["charset"],
                data=bytes.fromhex(record["data"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, page: FetchedPage) -> None:
        from debrief.outputs.files import write_atomic

        record = {
            "url": page.url,
            "final_url": page.final_url,
            "content_type": page.content_type,
            "charset": page.charset,
            "data": page.data.hex(),
        }
        # A page cache that cannot be written only costs a fetch next time.
        with contextlib.suppress(OSError):
            write_atomic(self._path(page.url), json.dumps(record))
