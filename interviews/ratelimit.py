"""A fixed-window request counter in Django's cache.

The default cache is per process; several web processes need a shared cache (Redis,
Memcached, the database) for the limits to hold across them.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets


def hit(*, scope: str, key: str, limit: int, window_seconds: int) -> Verdict:
    """Count one request for `key` in `scope`; refuse beyond `limit` per window."""
    now = time.time()
    window = int(now // window_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=window_seconds + 1)
            count = 1
    retry_after = max(1, int((window + 1) * window_seconds - now))
    return Verdict(allowed=count <= limit, retry_after=retry_after)


def client_address(request) -> str:
    # REMOTE_ADDR only: forwarded headers are the client's to forge. Behind a proxy, set
    # REMOTE_ADDR from the proxy's header in the proxy or the server, not here.
    return request.META.get("REMOTE_ADDR") or "unknown"
