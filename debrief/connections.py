"""The connections a fetch makes: each checked against the address policy when it is
made, against the address it connects to, on every redirect hop; and all of them cut
when the fetch's deadline passes, whatever it is doing (connecting, the TLS handshake,
headers or body sent a byte at a time).

Checking a URL's host before the request leaves three holes: a second DNS answer at
connect time (rebinding), a redirect to an internal address, and a URL that the
checker and urllib3 read differently (`http://127.0.0.1:80\\@93.184.216.34/`). Here
the check is in the connection itself: resolve once, refuse if any address is not
public, connect to an address that was checked.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from contextlib import suppress
from typing import Any

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from debrief.errors import InputError


class PrivateAddressError(InputError):
    """A fetch would connect to a loopback, private, link-local or reserved address."""


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (an IPv4 address mapped into
    IPv6 is read as IPv4; a zone index such as %lo is ignored)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class Fetch:
    """One fetch: whether private addresses may be reached, and a deadline that shuts
    every socket the fetch opened when it passes (`expired` then says why a read failed
    or a body ended early)."""

    def __init__(self, url: str, *, allow_private: bool, seconds: float) -> None:
        self.url = url
        self.allow_private = allow_private
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._previous: Fetch | None = None

    def __enter__(self) -> Fetch:
        """Be the policy and deadline of the connections this thread opens."""
        self._previous = getattr(_current, "fetch", None)
        _current.fetch = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        _current.fetch = self._previous

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with suppress(OSError):  # closed already
                    sock.shutdown(socket.SHUT_RDWR)

    def _watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                raise TimeoutError("the time allowed for the fetch is over")
            self._sockets.append(sock)

    def addresses(self, host: str, port: int) -> list[tuple[Any, ...]]:
        """getaddrinfo's answers for `host`, all of them public unless private ones are
        allowed; else a PrivateAddressError names the first that is not."""
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        for answer in answers if not self.allow_private else ():
            if not is_public_address(answer[4][0]):
                raise PrivateAddressError(
                    f"{self.url}: {host} is a private or local address ({answer[4][0]}), "
                    "which this server does not fetch (start it with --allow-private-urls "
                    "to allow that)"
                )
        return answers

    def connect(self, connection: HTTPConnection) -> socket.socket:
        """A socket for `connection`, to an address that passed the policy (a proxy's
        own address is not checked: the target was, before the request)."""
        host, port = connection._dns_host, connection.port  # the name urllib3 resolves
        try:
            if connection.proxy is not None:
                answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            else:
                answers = self.addresses(host, port)
        except socket.gaierror as error:
            raise NameResolutionError(connection.host, connection, error) from error
        timeout = connection.timeout if isinstance(connection.timeout, int | float) else None
        failure: OSError | None = None
        for family, kind, protocol, _, address in answers:
            sock = socket.socket(family, kind, protocol)
            try:
                self._watch(sock)
                for option in connection.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(timeout)
                sock.connect(address)
                return sock
            except TimeoutError as error:
                sock.close()
                raise ConnectTimeoutError(connection, f"{connection.host} timed out") from error
            except OSError as error:
                sock.close()
                failure = error
        raise NewConnectionError(connection, f"Failed to establish a new connection: {failure}")


_current = threading.local()


def _connect(connection: HTTPConnection) -> socket.socket:
    fetch: Fetch | None = getattr(_current, "fetch", None)
    if fetch is None:
        raise RuntimeError("debrief opens connections inside a Fetch only")
    return fetch.connect(connection)


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self)


class _CheckedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self)


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


def checked_pool_manager(proxy: str | None, **options: Any) -> urllib3.PoolManager:
    """A PoolManager (a ProxyManager through `proxy`) whose every connection goes
    through the policy and deadline of the Fetch it is used in."""
    manager = urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)
    manager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}
    return manager
