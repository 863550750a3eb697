"""The candidate-facing limits: per client address and network, per interview, answered
with a 429. They count in the one limiter, interviews.services.ratelimits."""

import ipaddress

from django.http import JsonResponse

from interviews.services.ratelimits import Limit, hit, hit_all
from interviews.web.http import json_error

__all__ = ["Limit", "hit", "hit_all", "client_address", "client_network", "refused_beyond"]

# (requests, seconds)
TOKEN_LIMIT_PER_INTERVIEW = (10, 60)
TOKEN_LIMIT_PER_ADDRESS = (30, 60)
# "Is the interviewer coming?": the join page asks every few seconds while it waits.
INTERVIEWER_LIMIT_PER_INTERVIEW = (40, 60)
# New open-link interviews from one client (an IPv4 address or an IPv6 /64, which one
# household or machine holds) and from its wider network (an IPv4 /24, an IPv6 /48). There
# is no limit per link: a few addresses must not be able to lock real candidates out.
NEW_OPEN_INTERVIEWS_PER_ADDRESS = (20, 3600)
NEW_OPEN_INTERVIEWS_PER_NETWORK = (200, 3600)


def client_address(request) -> str:
    """The client, for limits: an IPv4 address, or the /64 of an IPv6 address (one host
    or household is given a whole /64 and can pick any address in it)."""
    # REMOTE_ADDR, which interviews.web.client sets from the right-most hop a trusted
    # proxy added: the rest of a forwarded header is the client's to forge.
    return _network(request.META.get("REMOTE_ADDR") or "", v4_prefix=32, v6_prefix=64)


def client_network(request) -> str:
    """The client's wider network: an IPv4 /24, an IPv6 /48."""
    return _network(request.META.get("REMOTE_ADDR") or "", v4_prefix=24, v6_prefix=48)


def _network(address: str, *, v4_prefix: int, v6_prefix: int) -> str:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = v4_prefix if ip.version == 4 else v6_prefix
    network = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return str(ip) if network.num_addresses == 1 else str(network)


def rate_limited(scope: str, key: str, limits: tuple[int, int]) -> JsonResponse | None:
    limit, window = limits
    return refused_beyond([Limit(scope, key, limit, window)])


def refused_beyond(limits: list[Limit]) -> JsonResponse | None:
    """A 429 JSON error when this request goes beyond any of `limits` (each counted it),
    None when it may go on."""
    verdict = hit_all(limits)
    if verdict.allowed:
        return None
    return json_error(
        429,
        "rate_limited",
        "Too many attempts. Wait a minute, then try again.",
        Retry_After=str(verdict.retry_after),
    )
