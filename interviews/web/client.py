"""Who the client is: the right-most address a trusted proxy added, never what the client
wrote.

A proxy appends the address it received a request from to `X-Forwarded-For`; whatever
stands left of that came from the client and may be anything. Walking the chain from the
right, past the proxies listed in `TRUSTED_PROXIES`, the first other address is the
client. The middleware puts it in `REMOTE_ADDR`, so every limit, the login throttle and
the log see the same address whatever the server in front of the app does with the
header.
"""

import ipaddress
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str) -> IPAddress | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:443
        text = text.split(":")[0]
    try:
        ip = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def is_trusted_proxy(address: str, proxies: Iterable[str] | None = None) -> bool:
    ip = _address(address)
    networks = _networks(tuple(settings.TRUSTED_PROXIES if proxies is None else proxies))
    return ip is not None and any(ip in network for network in networks)


def client_ip(peer: str, forwarded_for: str, proxies: Iterable[str] | None = None) -> str:
    """The client's address: `peer` (the address the connection came from) unless it is a
    trusted proxy; then the right-most hop of `forwarded_for` that is not one."""
    proxies = tuple(settings.TRUSTED_PROXIES if proxies is None else proxies)
    if not forwarded_for or not is_trusted_proxy(peer, proxies):
        return peer
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        ip = _address(hop)
        if ip is None:
            # Not an address: a trusted proxy never writes one, so the client did.
            return "unknown"
        client = str(ip)
        if not is_trusted_proxy(client, proxies):
            return client
    return client  # every hop a proxy of ours: the left-most of them


_warned_untrusted_header = False


class ClientAddressMiddleware:
    """Sets `REMOTE_ADDR` to the client's address (see `client_ip`), keeping the peer's in
    `PEER_ADDR`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        global _warned_untrusted_header
        peer = request.META.get("REMOTE_ADDR") or ""
        forwarded_for = request.headers.get("x-forwarded-for", "")
        request.META["PEER_ADDR"] = peer
        request.META["REMOTE_ADDR"] = client_ip(peer, forwarded_for)
        if forwarded_for and settings.TRUSTED_PROXIES and not _warned_untrusted_header:
            if not is_trusted_proxy(peer):
                # A client reaching the app past the proxy, or a server in front that
                # rewrote the peer address from the header (daphne --proxy-headers).
                _warned_untrusted_header = True
                logger.warning(
                    "X-Forwarded-For from a peer that is not in TRUSTED_PROXIES; ignored",
                    extra={"peer": peer},
                )
        return self.get_response(request)


def request_client_ip(request: HttpRequest) -> str:
    """The client's address for django-axes: the middleware's, in REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or ""
