"""A fixed-window request limit, counted where every web process sees the same count.

One atomic increment per limit and request, which returns the new count: no more than
`limit` requests pass per window even when several web processes race.
- With Redis configured (`REDIS_URL`), the counter is a Redis key (INCR, expiring with
  its window).
- Otherwise it is a row of `RateLimitCounter`, incremented by one
  `INSERT ... ON CONFLICT (key, period) DO UPDATE SET hits = hits + 1 RETURNING hits`
  (PostgreSQL, SQLite >= 3.35). Rows of past windows are deleted now and then, by the
  requests themselves.
"""

import hashlib
import ipaddress
import secrets
import time
from dataclasses import dataclass

from django.core.cache import BaseCache, cache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import JsonResponse

from interviews.models import RateLimitCounter
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


# One request in this many also deletes the counters of windows that have ended.
PURGE_ONE_IN = 200


def hit(
    *, scope: str, key: str, limit: int, window_seconds: int, store: BaseCache | None = None
) -> Verdict:
    """Count one request for `key` in `scope`; refuse beyond `limit` per window. `store` is
    the shared cache (the default cache unless given): a Redis cache counts there, any other
    in the database's counter table."""
    store = store or cache
    now = time.time()
    window = int(now // window_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    counter_key = f"ratelimit:{scope}:{digest}"
    expires_at = (window + 1) * window_seconds + 1
    retry_after = max(1, int((window + 1) * window_seconds - now))
    if isinstance(store, RedisCache):
        count = _redis_increment(store, f"{counter_key}:{window}", timeout=window_seconds + 1)
    else:
        count = _database_increment(counter_key, window, expires_at=expires_at, now=now)
    return Verdict(allowed=count <= limit, retry_after=retry_after)


def _redis_increment(store: BaseCache, key: str, *, timeout: int) -> int:
    """INCR on a key created (SET NX, with its expiry) by the window's first request."""
    for _ in range(2):
        store.add(key, 0, timeout=timeout)
        try:
            return store.incr(key)
        except ValueError:  # expired between the two calls: create it again
            continue
    return 1


def _upsert_sql() -> str:
    """The increment statement; its names are the model's, quoted (no input in them)."""
    meta = RateLimitCounter._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key, period, hits, expires = (
        quote(meta.get_field(name).column) for name in ("key", "period", "hits", "expires_at")
    )
    return (
        f"INSERT INTO {table} ({key}, {period}, {hits}, {expires}) VALUES (%s, %s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key}, {period}) DO UPDATE SET {hits} = {table}.{hits} + 1 "
        f"RETURNING {hits}"
    )


def _database_increment(key: str, period: int, *, expires_at: int, now: float) -> int:
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        RateLimitCounter.objects.filter(expires_at__lt=int(now)).delete()
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [key, period, expires_at])
        return cursor.fetchone()[0]


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
