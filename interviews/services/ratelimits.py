"""The one rate-limit mechanism: fixed-window limits, counted where every process (web
and interviewer) sees the same count. The web limits (interviews.web.ratelimit), the
emailed codes per recipient and the identify cap per network all count here.

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
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import Field

from interviews.models import RateLimitCounter


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
_redis_clients: dict[tuple[str, str], Any] = {}
_redis_clients_lock = threading.Lock()


def _redis_client(store: RedisCache) -> Any:  # a redis.Redis
    """A client of the cache's write server, made as Django's RedisCache makes one."""
    # Django's private attributes, which its stubs do not describe.
    cache_client: Any = store._cache
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
        quote(str(cast(Field, meta.get_field(name)).column))
        for name in ("key", "period", "hits", "expires_at")
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


def purge_ended_windows(*, now: float | None = None) -> int:
    """Delete the database counters of windows that have ended (Redis expires its own)."""
    moment = int(time.time() if now is None else now)
    return RateLimitCounter.objects.filter(expires_at__lt=moment).delete()[0]
