"""A fixed-window request limit, counted where every web process sees the same count.

One atomic increment per limit and request, which returns the new count: no more than
`limit` requests pass per window even when several web processes race. Several limits
of one request (per client address and per interview, say) are counted together, in one
round trip.
- With Redis configured (`REDIS_URL`), each counter is a Redis key, incremented and given
  its expiry in one MULTI/EXEC transaction with the request's other counters.
- Otherwise it is a row of `RateLimitCounter`, incremented by one
  `INSERT ... VALUES (...), (...) ON CONFLICT (key, period) DO UPDATE SET hits = hits + 1
  RETURNING key, hits` for all of the request's counters (PostgreSQL, SQLite >= 3.35). Rows
  of past windows are deleted now and then, by the requests themselves.
"""

import hashlib
import ipaddress
import secrets
import threading
import time
from dataclasses import dataclass

from django.core.cache import BaseCache, caches
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


@dataclass(frozen=True)
class Limit:
    """At most `requests` per `seconds` for `key` in `scope`."""

    scope: str
    key: str
    requests: int
    seconds: int


# One request in this many also deletes the counters of windows that have ended.
PURGE_ONE_IN = 200


def hit(
    *, scope: str, key: str, limit: int, window_seconds: int, store: BaseCache | None = None
) -> Verdict:
    """Count one request for `key` in `scope`; refuse beyond `limit` per window. `store` is
    the shared cache (the default cache unless given): a Redis cache counts there, any other
    in the database's counter table."""
    return hit_all([Limit(scope, key, limit, window_seconds)], store=store)


def hit_all(limits: list[Limit], *, store: BaseCache | None = None) -> Verdict:
    """Count one request against every limit, all in one round trip; refused when any of
    them is over (and then every one of them still counted the request)."""
    store = store or caches["default"]
    now = time.time()
    counters: dict[tuple[str, int], tuple[Limit, int]] = {}  # (key, window) -> limit, expiry
    for limit in limits:
        window = int(now // limit.seconds)
        digest = hashlib.sha256(limit.key.encode()).hexdigest()[:32]
        key = f"ratelimit:{limit.scope}:{digest}"
        counters.setdefault((key, window), (limit, (window + 1) * limit.seconds + 1))
    if isinstance(store, RedisCache):
        counts = _redis_increment(store, counters)
    else:
        counts = _database_increment(counters, now=now)
    retry_after = 0
    for (key, window), (limit, _) in counters.items():
        if counts[(key, window)] > limit.requests:
            remaining = max(1, int((window + 1) * limit.seconds - now))
            retry_after = max(retry_after, remaining)
    return Verdict(allowed=retry_after == 0, retry_after=retry_after)


def _redis_increment(
    store: RedisCache, counters: dict[tuple[str, int], tuple[Limit, int]]
) -> dict[tuple[str, int], int]:
    """INCR, then EXPIRE (the window's length and a second), of every counter in one
    MULTI/EXEC: a key never lives without its expiry, whoever else counts at once."""
    pipeline = _redis_client(store).pipeline(transaction=True)
    names = {}
    for counter, (limit, _) in counters.items():
        names[counter] = store.make_and_validate_key(f"{counter[0]}:{counter[1]}")
        pipeline.incr(names[counter])
        pipeline.expire(names[counter], limit.seconds + 1)
    replies = pipeline.execute()
    return {counter: int(replies[2 * i]) for i, counter in enumerate(counters)}


# Redis clients (and their connection pools) for the life of the process. Under ASGI,
# Django makes its cache objects per request, and a RedisCache its own pool: each request
# would open (and leave to close) a new connection to Redis.
_redis_clients: dict[tuple[str, str], object] = {}
_redis_clients_lock = threading.Lock()


def _redis_client(store: RedisCache):  # noqa: ANN202 - a redis.Redis
    """A client of the cache's write server, made as Django's RedisCache makes one."""
    cache_client = store._cache
    url = cache_client._servers[0]
    key = (url, repr(sorted(cache_client._pool_options.items())))
    client = _redis_clients.get(key)
    if client is None:
        with _redis_clients_lock:
            client = _redis_clients.get(key)
            if client is None:
                pool = cache_client._pool_class.from_url(url, **cache_client._pool_options)
                client = _redis_clients[key] = cache_client._client(connection_pool=pool)
    return client


def _upsert_sql(rows: int) -> str:
    """The increment statement for `rows` counters; its names are the model's, quoted (no
    input in them)."""
    meta = RateLimitCounter._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key, period, hits, expires = (
        quote(meta.get_field(name).column) for name in ("key", "period", "hits", "expires_at")
    )
    values = ", ".join(["(%s, %s, 1, %s)"] * rows)
    return (
        f"INSERT INTO {table} ({key}, {period}, {hits}, {expires}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({key}, {period}) DO UPDATE SET {hits} = {table}.{hits} + 1 "
        f"RETURNING {key}, {period}, {hits}"
    )


def _database_increment(
    counters: dict[tuple[str, int], tuple[Limit, int]], *, now: float
) -> dict[tuple[str, int], int]:
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        RateLimitCounter.objects.filter(expires_at__lt=int(now)).delete()
    params: list = []
    for (key, window), (_, expires_at) in counters.items():
        params += [key, window, expires_at]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(len(counters)), params)
        return {(key, period): hits for key, period, hits in cursor.fetchall()}


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
