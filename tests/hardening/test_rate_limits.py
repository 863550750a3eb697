"""Abuse limits: per address and per link, counted in a cache every web process shares."""

import os
import subprocess
import sys
import threading
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from interviews.models import Interview, RateLimitCounter
from interviews.services import ratelimits
from interviews.services.consent import interview_record_consent
from interviews.web import ratelimit
from interviews.web.ratelimit import (
    NEW_OPEN_INTERVIEWS_PER_ADDRESS,
    TOKEN_LIMIT_PER_ADDRESS,
    TOKEN_LIMIT_PER_INTERVIEW,
)
from tests.dashboard.redis_process import RedisServer
from tests.factories import PositionFactory
from tests.hardening.conftest import joined_client
from tests.test_settings import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window(monkeypatch, fresh_cache):
    """Every request of a test falls in one window, wherever the clock is."""
    monkeypatch.setattr(
        "interviews.services.ratelimits.time", SimpleNamespace(time=lambda: 7_200_030.0)
    )


def post_token(client: Client, address: str = "203.0.113.7"):
    return client.post(
        "/interview/token", data="{}", content_type="application/json", REMOTE_ADDR=address
    )


def assert_json_429(response) -> None:
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


def test_the_token_endpoint_refuses_request_n_plus_1_from_one_address():
    limit, _ = TOKEN_LIMIT_PER_ADDRESS
    client = Client()
    for _ in range(limit):
        assert post_token(client).status_code == 403  # no interview, but counted
    assert_json_429(post_token(client))
    assert post_token(client, address="198.51.100.1").status_code == 403  # another address


def test_the_token_endpoint_refuses_request_n_plus_1_for_one_interview(invited):
    client = joined_client(invited.invite_secret)
    interview_record_consent(interview=invited.interview)
    limit, _ = TOKEN_LIMIT_PER_INTERVIEW
    for i in range(limit):
        assert post_token(client, address=f"192.0.2.{i}").status_code == 201
    assert_json_429(post_token(client, address="192.0.2.200"))


def start_open_interview(address: str) -> int:
    browser = Client(REMOTE_ADDR=address)
    browser.get("/apply/test-pilot/")
    response = browser.post(
        "/interview/consent",
        data={"choice": "consent", "consent": True},
        content_type="application/json",
    )
    return response


def test_the_open_link_is_limited_per_address_and_network_but_never_locked(monkeypatch):
    position = PositionFactory(slug="test-pilot")
    per_address, _ = NEW_OPEN_INTERVIEWS_PER_ADDRESS
    for _ in range(per_address):
        assert start_open_interview("203.0.113.9").status_code == 200
    refused = start_open_interview("203.0.113.9")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1

    # A few addresses spending their own limits leave the link open to everyone else.
    monkeypatch.setattr(ratelimit, "NEW_OPEN_INTERVIEWS_PER_ADDRESS", (1, 3600))
    for i in range(20):
        assert start_open_interview(f"198.51.{i}.1").status_code == 200
    assert start_open_interview("192.0.2.99").status_code == 200
    assert Interview.objects.filter(position=position).count() == per_address + 21


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_across_web_workers_sharing_the_database_cache():
    """Two workers: separate cache objects, separate database connections, one table."""
    workers = [DatabaseCache(settings.CACHE_TABLE, {}) for _ in range(2)]
    allowed = []
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def worker(store) -> None:
        try:
            barrier.wait()
            for _ in range(8):
                verdict = ratelimit.hit(
                    scope="token-interview",
                    key="one-link",
                    limit=10,
                    window_seconds=60,
                    store=store,
                )
                with lock:
                    allowed.append(verdict.allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(store,)) for store in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(allowed) == 16
    assert allowed.count(True) == 10
    # A third worker, started later, sees the same spent window.
    third = DatabaseCache(settings.CACHE_TABLE, {})
    late = ratelimit.hit(
        scope="token-interview", key="one-link", limit=10, window_seconds=60, store=third
    )
    assert late.allowed is False


def test_redis_carries_the_limits_when_configured():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from hiring import settings as s; print(s.CACHES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**os.environ, "ENV_FILE": os.devnull, "REDIS_URL": "redis://127.0.0.1:6390/0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr


def test_each_limit_is_one_statement_and_never_counts_the_table(monkeypatch):
    monkeypatch.setattr(ratelimits, "PURGE_ONE_IN", 10**12)
    with CaptureQueriesContext(connection) as queries:
        verdict = ratelimit.hit(
            scope="token-address", key="203.0.113.7", limit=2, window_seconds=60
        )
    assert verdict.allowed
    assert len(queries) == 1
    assert "COUNT(" not in queries[0]["sql"].upper()


def test_counters_of_ended_windows_are_deleted_by_later_requests(monkeypatch):
    ratelimit.hit(scope="token-address", key="203.0.113.7", limit=2, window_seconds=60)
    assert RateLimitCounter.objects.count() == 1
    monkeypatch.setattr(
        "interviews.services.ratelimits.time", SimpleNamespace(time=lambda: 7_300_000.0)
    )
    monkeypatch.setattr(ratelimits, "PURGE_ONE_IN", 1)
    ratelimit.hit(scope="token-address", key="198.51.100.1", limit=2, window_seconds=60)
    assert list(RateLimitCounter.objects.values_list("period", flat=True)) == [7_300_000 // 60]


def test_a_redis_cache_counts_the_limit_with_an_expiring_key(tmp_path):
    with RedisServer(tmp_path) as server:
        workers = [RedisCache(server.url, {}) for _ in range(2)]
        verdicts = [
            ratelimit.hit(
                scope="token-interview",
                key="one-link",
                limit=3,
                window_seconds=60,
                store=workers[i % 2],
            )
            for i in range(5)
        ]
        assert [v.allowed for v in verdicts] == [True, True, True, False, False]
        assert RateLimitCounter.objects.count() == 0
        keys = workers[0]._cache.get_client().keys("*ratelimit*")
        assert len(keys) == 1
        assert 0 < workers[0]._cache.get_client().ttl(keys[0]) <= 61


def test_a_token_request_counts_both_its_limits_in_one_statement_without_a_transaction(
    invited, monkeypatch
):
    monkeypatch.setattr(ratelimits, "PURGE_ONE_IN", 10**12)
    client = joined_client(invited.invite_secret)
    interview_record_consent(interview=invited.interview)

    with CaptureQueriesContext(connection) as queries:
        assert post_token(client).status_code == 201

    statements = [query["sql"] for query in queries]
    counting = [sql for sql in statements if "ratelimitcounter" in sql.lower()]
    assert len(counting) == 1
    # The session, the interview, the interviewers' reports (none: no line), both counters.
    assert len(statements) == 4, statements
    assert not any(sql.upper().startswith(("SAVEPOINT", "BEGIN")) for sql in statements)
    assert sorted(RateLimitCounter.objects.values_list("hits", flat=True)) == [1, 1]


def test_several_limits_of_one_request_each_count_it_and_the_tightest_refuses():
    limits = [
        ratelimit.Limit("token-address", "203.0.113.7", 5, 60),
        ratelimit.Limit("token-interview", "one-link", 2, 60),
    ]
    verdicts = [ratelimit.hit_all(limits) for _ in range(3)]

    assert [v.allowed for v in verdicts] == [True, True, False]
    assert 1 <= verdicts[-1].retry_after <= 60
    assert sorted(RateLimitCounter.objects.values_list("hits", flat=True)) == [3, 3]


@pytest.fixture
def redis_cache(tmp_path, settings):
    """Redis as the cache, as a deployment with REDIS_URL has it."""
    database_cache = settings.CACHES
    with RedisServer(tmp_path) as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": server.url,
            }
        }
        try:
            yield server
        finally:  # before Redis stops: the database cache is emptied after each test
            settings.CACHES = database_cache


def redis_keys(server: RedisServer) -> list[bytes]:
    return RedisCache(server.url, {})._cache.get_client().keys("*ratelimit*")


def test_with_redis_configured_the_token_limits_count_in_redis_not_the_database(
    redis_cache, invited, monkeypatch
):
    monkeypatch.setattr(ratelimit, "TOKEN_LIMIT_PER_INTERVIEW", (3, 60))
    client = joined_client(invited.invite_secret)
    interview_record_consent(interview=invited.interview)

    statuses = [post_token(client, address=f"192.0.2.{i}").status_code for i in range(4)]

    assert statuses == [201, 201, 201, 429]
    assert_json_429(post_token(client, address="192.0.2.99"))
    assert RateLimitCounter.objects.count() == 0
    assert len(redis_keys(redis_cache)) == 6  # five addresses and the interview
    client_of = RedisCache(redis_cache.url, {})._cache.get_client()
    assert all(0 < client_of.ttl(key) <= 61 for key in redis_keys(redis_cache))


def test_with_redis_configured_requests_without_an_interview_still_count_per_address(
    redis_cache,
):
    limit, _ = TOKEN_LIMIT_PER_ADDRESS
    client = Client()
    for _ in range(limit):
        assert post_token(client).status_code == 403
    assert_json_429(post_token(client))
    assert post_token(client, address="198.51.100.1").status_code == 403


def test_redis_counting_keeps_one_connection_while_each_request_makes_its_own_cache(
    redis_cache,
):
    """Under ASGI, Django makes the cache object again for each request."""
    info = RedisCache(redis_cache.url, {})._cache.get_client()
    before = info.info("stats")["total_connections_received"]
    for i in range(20):
        ratelimit.hit(
            scope="token-address",
            key=f"203.0.113.{i}",
            limit=30,
            window_seconds=60,
            store=RedisCache(redis_cache.url, {}),
        )
    assert info.info("stats")["total_connections_received"] - before <= 1
