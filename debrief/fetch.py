"""Fetch a web page: http(s) only, bounded in time, size and redirects, no cookies kept.

Every way a fetch can fail is one line a user can act on (an `InputError`): a host that
does not exist, refuses or does not answer, an HTTP error status, a body too large, a
document that is not HTML. Fetched pages can be kept in the cache folder, keyed by URL,
so that a resumed run does not fetch them again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
import time
import urllib.request
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from debrief import __version__
from debrief.connections import Fetch, checked_pool_manager
from debrief.errors import InputError, OutputError, UsageError
from debrief.runtime.models import cache_directory
from translate.reading import megabytes

logger = logging.getLogger("debrief")

CONNECT_SECONDS = 10.0
TOTAL_SECONDS = 30.0
MAX_REDIRECTS = 5
# A day: a longer deadline is no deadline (and inf or 1e10 overflow the timers).
LONGEST_FETCH_SECONDS = 86400.0
_PORTS = {"http": 80, "https": 443}
USER_AGENT_VARIABLE = "DEBRIEF_USER_AGENT"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def default_user_agent() -> str:
    """$DEBRIEF_USER_AGENT, else one that names debrief and its version."""
    return os.environ.get(USER_AGENT_VARIABLE) or f"debrief/{__version__} (news translation)"


def is_url(source: str | Path) -> bool:
    """Whether an input names a web page rather than a file."""
    return str(source).lower().startswith(("http://", "https://"))


# What an HTTP header may hold: visible Latin-1 and spaces. A line break would let the
# value add headers of its own; other characters cannot be sent at all.
_HEADER_VALUE = re.compile(r"[\x20-\x7e\xa0-\xff]*")


def check_user_agent(agent: str | None, where: str = "--user-agent") -> None:
    """Refuse a User-Agent that cannot be sent as a header (UsageError, one line)."""
    if agent and not _HEADER_VALUE.fullmatch(agent):
        raise UsageError(
            f"{where} {agent!r} cannot be sent as a header: use letters, digits, spaces "
            "and punctuation, without line breaks or emoji"
        )


@dataclass(frozen=True)
class FetchSettings:
    """How pages are fetched: `total_seconds` for a whole fetch (`connect_seconds` of it
    to connect), at most `max_redirects` redirects, and the User-Agent header."""

    total_seconds: float = TOTAL_SECONDS
    connect_seconds: float = CONNECT_SECONDS
    max_redirects: int = MAX_REDIRECTS
    user_agent: str | None = None
    # The CLI fetches what its user asks for, intranet pages too; the server does not.
    allow_private: bool = True
    too_large_advice: str = "raise the limit with --max-input-mb"

    def __post_init__(self) -> None:
        for where, agent in (
            ("--user-agent", self.user_agent),
            (f"${USER_AGENT_VARIABLE}", os.environ.get(USER_AGENT_VARIABLE)),
        ):
            check_user_agent(agent, where)
        if not 0 < self.total_seconds <= LONGEST_FETCH_SECONDS:  # also refuses nan
            raise UsageError(
                f"--fetch-timeout must be more than 0 and at most {LONGEST_FETCH_SECONDS:g} "
                f"seconds (got {self.total_seconds:g})"
            )


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
    cause = reason.__cause__ if isinstance(reason.__cause__, socket.gaierror) else reason
    text = str(reason)
    # "Temporary failure": no DNS server answered, which says nothing about the URL.
    if getattr(cause, "errno", None) == socket.EAI_AGAIN or "Temporary failure" in text:
        return InputError(
            f"{url}: could not look up '{host}' (no answer from DNS); check the network "
            "connection or the proxy settings ($HTTPS_PROXY, $HTTP_PROXY)"
        )
    if isinstance(cause, socket.gaierror) or "Name or service not known" in text:
        return InputError(f"{url}: no such host '{host}'; check the URL")
    if "timed out" in text.lower() or "timeout" in type(reason).__name__.lower():
        return _too_slow(url)
    if "refused" in text.lower():
        return InputError(f"{url}: {host} refused the connection; check the URL")
    return InputError(f"{url}: could not reach {host} ({type(reason).__name__}); check the URL")


def fetch_page(
    url: str,
    *,
    max_bytes: int,
    settings: FetchSettings | None = None,
    accept: str = "text/html",
    media_types: Collection[str] | None = HTML_TYPES,
) -> FetchedPage:
    """GET `url` and return the page, or raise a one-line InputError. `accept` is the
    Accept header, `media_types` the types taken (None: any; feeds are told by their
    content, as servers send them as XML, RSS, JSON or text).

    At most `max_bytes` of body, and what `settings` allow: redirects (each to http(s)),
    time to connect and for the whole fetch (a deadline that holds whatever the server
    does), private addresses or not (checked on every connection of every hop), the
    proxies of $HTTP_PROXY, $HTTPS_PROXY and $NO_PROXY. No cookies are sent or kept.
    """
    import urllib3

    settings = settings or FetchSettings()
    if not is_url(url):
        raise InputError(f"{url}: only http:// and https:// URLs can be fetched")
    deadline = time.monotonic() + settings.total_seconds
    headers = {"User-Agent": settings.user_agent or default_user_agent(), "Accept": accept}
    managers: dict[str | None, urllib3.PoolManager] = {}
    current = url
    with Fetch(url, allow_private=settings.allow_private, seconds=settings.total_seconds) as fetch:
        try:
            for _ in range(settings.max_redirects + 1):
                target = _parse(url, current)
                proxy = _proxy_for(target)
                if proxy and not settings.allow_private:
                    fetch.addresses(target.host, target.port or _PORTS[target.scheme])
                if proxy not in managers:
                    managers[proxy] = checked_pool_manager(proxy, headers=headers, retries=False)
                remaining = max(0.1, deadline - time.monotonic())
                response = managers[proxy].request(
                    "GET",
                    current,
                    redirect=False,
                    preload_content=False,
                    timeout=urllib3.Timeout(
                        connect=min(settings.connect_seconds, remaining), read=remaining
                    ),
                )
                location = response.headers.get("Location")
                if response.status in (301, 302, 303, 307, 308) and location:
                    response.release_conn()
                    current = _redirect_target(url, current, location)
                    continue
                page = _read_page(url, current, response, max_bytes, settings, media_types)
                if fetch.expired:  # a body cut short by the deadline is no page
                    raise _too_slow(url)
                return page
            raise InputError(f"{url}: more than {settings.max_redirects} redirects; check the URL")
        except (urllib3.exceptions.HTTPError, OSError) as error:
            if fetch.expired:
                raise _too_slow(url) from None
            raise _connection_failure(url, error) from None
        finally:
            for manager in managers.values():
                manager.clear()


def _parse(url: str, current: str):
    """`current` as urllib3 will read it (the reading the connection acts on)."""
    from urllib3.util import parse_url

    try:
        target = parse_url(current)
    except (ValueError, UnicodeError) as error:  # LocationParseError is a ValueError
        raise InputError(f"{url}: {current} is not a URL that can be fetched ({error})") from None
    if target.scheme not in _PORTS or not target.host:
        raise InputError(f"{url}: {current} is not an http(s) URL with a host; check the URL")
    return target


def _proxy_for(target) -> str | None:
    """The proxy $HTTP_PROXY / $HTTPS_PROXY name for this URL, unless $NO_PROXY spares it."""
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(target.scheme)
    if not proxy or urllib.request.proxy_bypass_environment(target.host, proxies):
        return None
    return proxy


def _redirect_target(url: str, current: str, location: str) -> str:
    try:
        target = urljoin(current, location)
    except ValueError:
        raise InputError(f"{url}: redirects to {location!r}, which is not a URL") from None
    if not is_url(target):
        raise InputError(f"{url}: redirects to {target}, which is not http(s)")
    return target


def _too_slow(url: str) -> InputError:
    return InputError(
        f"{url}: {_host(url)} did not answer within the time allowed; try again later, or "
        "save the page from your browser and pass the .html file"
    )


def _read_page(
    url: str,
    final_url: str,
    response,
    max_bytes: int,
    settings: FetchSettings,
    media_types: Collection[str] | None,
) -> FetchedPage:
    import urllib3

    try:
        if response.status >= 400:
            raise InputError(
                f"{url}: the server answered {response.status} {response.reason or ''}".rstrip()
                + "; check the URL"
            )
        content_type = response.headers.get("Content-Type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if media_type and media_types is not None and media_type not in media_types:
            raise InputError(
                f"{url}: is {media_type}, not a web page; debrief reads HTML pages and text files"
            )
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise _too_large(url, max_bytes, settings.too_large_advice)
        body = bytearray()
        for chunk in response.stream(64 * 1024):
            body += chunk
            if len(body) > max_bytes:
                raise _too_large(url, max_bytes, settings.too_large_advice)
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


def _too_large(url: str, max_bytes: int, advice: str) -> InputError:
    return InputError(f"{url}: the page is larger than {megabytes(max_bytes)}; {advice}")


class PageCache:
    """Fetched pages on disk, one file per URL under the cache folder. A file that cannot
    be read back (damaged, half-written by a killed run) counts as not cached."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or cache_directory() / "pages"
        self.unusable = False

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
        # A page cache that cannot be written only costs a fetch next time: one warning.
        try:
            write_atomic(self._path(page.url), json.dumps(record))
        except OutputError as error:  # its cause says why; its advice is for outputs
            reason = getattr(error.__cause__, "strerror", None) or error
            if not self.unusable:
                logger.warning(
                    "warning: fetched pages cannot be cached in %s (%s); going on without",
                    self.directory,
                    reason,
                )
            self.unusable = True
