"""Load the models once and serve the app: what `debrief serve` runs."""

from __future__ import annotations

import errno
import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from debrief.errors import BackendError, UsageError
from debrief.options import (
    check_num_beams,
    check_output_directory,
    load_summary_model,
    load_translation_model,
    locate_job_models,
)
from debrief.runtime.settings import Runtime, check_device
from debrief.server.service import MAX_CHARS, DebriefService
from summarize.model import DEFAULT_SUMMARY_MODEL, length_settings
from translate.glossary import Glossary
from translate.marian import DEFAULT_TRANSLATION_MODEL

if TYPE_CHECKING:
    from debrief.server.digest_service import ServerDigest

logger = logging.getLogger("debrief")
WEB_EXTRA_HINT = "install it with: pip install 'debrief[web]'"


def check_web_extra() -> None:
    """Refuse, with the remedy, when FastAPI or uvicorn is not installed."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise BackendError(f"debrief serve needs the web extra; {WEB_EXTRA_HINT}") from None


def check_address(host: str, port: int, api_key: str | None) -> None:
    """Refuse a port out of range or in use (before the models load); warn when another
    machine could reach an open API."""
    if not 1 <= port <= 65535:
        raise UsageError(f"--port must be between 1 and 65535 (got {port})")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except socket.gaierror as error:
        raise UsageError(
            f"--host {host} is not an address of this machine ({error.strerror}); use "
            "127.0.0.1, 0.0.0.0 (every address) or one of this machine's addresses"
        ) from None
    except OSError as error:
        if error.errno == errno.EADDRNOTAVAIL:
            raise UsageError(
                f"--host {host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 "
                "(every address) or one of this machine's addresses"
            ) from None
        reason = "is in use" if error.errno == errno.EADDRINUSE else f"cannot be used ({error})"
        raise UsageError(f"port {port} on {host} {reason}; choose another with --port") from None
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host == "localhost"
    if not local and not api_key:
        logger.warning(
            "warning: serving on %s without --api-key: anyone who can reach this machine "
            "can use it; set --api-key or DEBRIEF_API_KEY",
            host,
        )


def load_service(
    translation_model: str = DEFAULT_TRANSLATION_MODEL,
    summary_model_name: str = DEFAULT_SUMMARY_MODEL,
    runtime: Runtime | None = None,
    *,
    num_beams: int | None = None,
    length: str | None = None,
    max_words: int | None = None,
    batching: bool = True,
    max_chars: int = MAX_CHARS,
    allow_private_urls: bool = False,
    retry: bool = True,
    glossary: Glossary | None = None,
) -> DebriefService:
    """Check every option, find both models, load them once, and return the service
    (which enforces `glossary`, when given, in every request)."""
    check_num_beams(num_beams)
    length_settings(length, max_words)
    if max_chars < 1:
        raise UsageError("--max-chars must be at least 1")
    translation, summary = locate_job_models(
        translation_model, summary_model_name, length, max_words
    )
    check_device(runtime or Runtime())
    translator = load_translation_model(translation, runtime, num_beams=num_beams)
    summarizer = load_summary_model(
        summary or summary_model_name, runtime, length=length, max_words=max_words
    )
    return DebriefService(
        translator,
        summarizer,
        batching=batching,
        max_chars=max_chars,
        allow_private_urls=allow_private_urls,
        retry=retry,
        glossary=glossary,
    )


def check_cors_origins(origins: list[str] | None) -> frozenset[str] | None:
    """The --cors-origin values as origins (scheme, host, port: no path), or a
    UsageError naming the first that is none."""
    if not origins:
        return None
    for origin in origins:
        if not re.fullmatch(r"https?://[^/\s?#]+", origin):
            raise UsageError(
                f"--cors-origin {origin!r} is not an origin; give a scheme and a host, "
                "e.g. https://example.org or http://localhost:3000, without a path"
            )
    return frozenset(origins)


def server_digest(
    digest_dir: Path | None, feed_lists: Sequence[str | Path] = ()
) -> Callable[[DebriefService], ServerDigest] | None:
    """--digest-dir and --feeds checked before the models load (the folder writable, its
    state readable, the feed lists read): what makes the server's digest once they have;
    None without --digest-dir. One-line errors, exit 2."""
    from debrief.digest_state import load_state
    from debrief.feeds import feed_sources
    from debrief.server.digest_service import ServerDigest

    if digest_dir is None:
        if feed_lists:
            raise UsageError("--feeds needs --digest-dir DIR: the folder the digest is kept in")
        return None
    check_output_directory(digest_dir, "--digest-dir")
    load_state(digest_dir)
    feeds = feed_sources((), feed_lists)
    return lambda service: ServerDigest(service, digest_dir, feeds)


def serve(
    service: DebriefService,
    host: str,
    port: int,
    api_key: str | None = None,
    cors_origins: frozenset[str] | None = None,
    digest: ServerDigest | None = None,
) -> None:
    """Serve the app until interrupted."""
    import uvicorn

    from debrief.server.app import create_app

    app = create_app(
        service,
        api_key=api_key,
        hosts=local_hosts(host),
        cors_origins=cors_origins,
        digest=digest,
    )
    logger.info("serving on http://%s:%d/ (Ctrl-C stops)", host, port)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    except SystemExit as stop:  # uvicorn's own exit when it cannot bind
        if stop.code:
            raise UsageError(f"could not serve on {host}:{port}; choose another --port") from None


def local_hosts(host: str) -> frozenset[str] | None:
    """The Host names a server bound to loopback answers to; None (any) when it is
    bound where other machines reach it by names it cannot know."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    return frozenset({"localhost", "127.0.0.1", "::1", host.lower()}) if loopback else None
