"""A fixed-window request limit in Django's shared cache.

Each allowed request claims one numbered slot of its window with `cache.add`, which only
one caller can win (SET NX in Redis, a primary key in the database cache), so no more than
`limit` requests pass per window even when several web processes race. A plain counter
(`incr` is read-then-write in the database cache) would let racing requests through.
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.core.cache import BaseCache, cache
from django.http import JsonResponse

from interviews.web.http import json_error

# (requests, seconds)
TOKEN_LIMIT_PER_INTERVIEW = (10, 60)
TOKEN_LIMIT_PER_ADDRESS = (30, 60)
# New open-link interviews from one client (an IPv4 address or an IPv6 /64, which one
# household or machine holds) and from its wider network (an IPv4 /24, an IPv6 /48). There
# is no limit per link: a few addresses must not be able to lock real candidates out.
NEW_OPEN_INTERVIEWS_PER_ADDRESS = (20, 3600)
NEW_OPEN_INTERVIEWS_PER_NETWORK = (200, 3600)
# Open-link interviews one client may hold live at once.
MAX_LIVE_OPEN_ROOMS_PER_ADDRESS = 3


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets


def hit(
    *, scope: str, key: str, limit: int, window_seconds: int, store: BaseCache | None = None
) -> Verdict:
    """Count one request for `key` in `scope`; refuse beyond `limit` per window. `store` is
    the shared cache (the default cache unless given)."""
    store = store or cache
    now = time.time()
    window = int(now // window_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    prefix = f"ratelimit:{scope}:{digest}:{window}"
    timeout = window_seconds + 1
    retry_after = max(1, int((window + 1) * window_seconds - now))
    # The highest slot known to be taken: a hint that saves trying taken slots one by one.
    taken = store.get(prefix) or 0
    for slot in range(taken + 1, limit + 1):
        if store.add(f"{prefix}:{slot}", 1, timeout=timeout):
            store.set(prefix, slot, timeout=timeout)
            return Verdict(allowed=True, retry_after=retry_after)
    return Verdict(allowed=False, retry_after=retry_after)


def client_address(request) -> str:
    """The client, for limits: an IPv4 address, or the /64 of an IPv6 address (one host
    or household is given a whole /64 and can pick any address in it)."""
    # REMOTE_ADDR only: forwarded headers are the client's to forge. Behind a proxy, set
    # REMOTE_ADDR from the proxy's header in the proxy or the server, not here.
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
    verdict = hit(scope=scope, key=key, limit=limit, window_seconds=window)
    if verdict.allowed:
        return None
    return json_error(
        429,
        "rate_limited",
        "Too many attempts. Wait a minute, then try again.",
        Retry_After=str(verdict.retry_after),
    )
