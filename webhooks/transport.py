"""Sending one signed POST, safely (docs/webhooks.md, "Signatures" and "Which addresses").

The SSRF guard: the URL's host is resolved once, every address it resolves to must be
public (not loopback, private, link-local, multicast, reserved, unspecified or otherwise
not globally routable) unless TANYA_WEBHOOKS_ALLOW_PRIVATE, and the connection is made to
the address that was checked (http.client with the socket pinned to it; the Host header
and TLS SNI and certificate check keep the URL's host name). So a DNS answer that changes
between the check and the connection (DNS rebinding) can't reach an internal address.
Redirects are never followed: a 3xx is an answer like any other, and counts as a failure.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_RESPONSE_BYTES = 64 * 1024  # what is read of a receiver's answer, then dropped


class UnsafeURL(Exception):
    """The URL can't be delivered to: bad scheme, no host, or a refused address."""


# --- Signatures ---------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Tanya-Signature` header: `t=<unix time>,v1=<hex HMAC-SHA256>` over
    `f"{t}.{body}"` with the endpoint's secret."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


# --- Addresses ----------------------------------------------------------------------------


def address_refusal(address: str) -> str | None:
    """Why `address` (an IP) may not be delivered to, or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if settings.TANYA_WEBHOOKS_ALLOW_PRIVATE:
        return None
    for flag, reason in (
        ("is_loopback", _("a loopback address")),
        ("is_link_local", _("a link-local address")),
        ("is_private", _("a private address")),
        ("is_multicast", _("a multicast address")),
        ("is_reserved", _("a reserved address")),
        ("is_unspecified", _("an unspecified address")),
    ):
        if getattr(ip, flag):
            return reason
    if not ip.is_global:
        return _("an address that is not publicly routable")
    return None


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]  # the checked IPs, in resolver order; the connection goes to one

    @property
    def address(self) -> str:
        return self.addresses[0]


def split_url(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(_("Only http and https URLs can receive webhooks."))
    if not parts.hostname:
        raise UnsafeURL(_("The URL has no host."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Put credentials in the signing secret, not in the URL."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURL(_("The URL's port is not a number.")) from error
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return parts.scheme, parts.hostname, port, path


def resolve(url: str) -> Target:
    """Check `url` and resolve its host; raises UnsafeURL if any address is refused.

    Every address the name resolves to is checked (not only the first), so a name that
    answers with one public and one internal address is refused rather than raced.
    """
    scheme, host, port, path = split_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeURL(_("The host name %(host)s does not resolve.") % {"host": host}) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        reason = address_refusal(address)
        if reason is not None:
            raise UnsafeURL(
                _("%(host)s resolves to %(address)s, %(reason)s; webhooks may not go there.")
                % {"host": host, "address": address, "reason": reason}
            )
    return Target(scheme, host, port, path, tuple(addresses))


# --- Sending ------------------------------------------------------------------------------


def _connect(addresses: tuple[str, ...], port: int, timeout: float) -> socket.socket:
    """A socket to the first of the checked addresses that answers (as
    socket.create_connection does with the resolver's list, but with our checked one)."""
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except TimeoutError:
            raise
        except OSError as failed:
            error = failed
    raise error or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._addresses = target.addresses

    def connect(self) -> None:
        self.sock = _connect(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._addresses = target.addresses

    def connect(self) -> None:
        sock = _connect(self._addresses, self.port, self.timeout)
        # SNI and the certificate check use the URL's name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Response:
    status: int | None  # None: no HTTP answer (refused, timed out, connection failed)
    duration_ms: int
    error: str = ""
    retry_after: int | None = None
    refused: bool = False  # the guard refused the address: trying again won't help


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Response:
    """POST `body` to `url` through the guard; never raises for the receiver's faults."""
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = resolve(url)
    except UnsafeURL as error:
        return Response(None, took(), str(error), refused=True)
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(MAX_RESPONSE_BYTES)
        retry_after = answer.getheader("Retry-After", "")
        return Response(
            answer.status,
            took(),
            "" if 200 <= answer.status < 300 else f"HTTP {answer.status} {answer.reason}",
            int(retry_after) if retry_after.isdigit() else None,
        )
    except TimeoutError:
        return Response(None, took(), f"timed out after {timeout:g} s")
    except (OSError, http.client.HTTPException) as error:
        return Response(None, took(), f"{type(error).__name__}: {error}")
    finally:
        connection.close()
