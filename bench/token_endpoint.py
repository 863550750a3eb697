"""Figure 4: the token endpoint under the production ASGI server (uvicorn, 2 workers,
DEBUG off), against a trivial view in the same server, in alternating rounds.

Requests come from many interviews' sessions and 250 loopback addresses, so the real
per-interview and per-address limits (10 and 30 a minute) stay in force and are not hit.

    DATABASE_URL=... python -m bench.token_endpoint --out token.json
"""

import argparse
import asyncio
import os
import secrets
import time

from bench.common import load_average, setup_django, summary_ms, write_json

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "bench-" + "s" * 50,
    "LIVEKIT_API_KEY": "benchkey",
    "LIVEKIT_API_SECRET": "bench-secret-" + "x" * 32,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "False",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
}
os.environ.update(PRODUCTION)
setup_django()

import aiohttp  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from bench.candidate import loopback_address  # noqa: E402
from bench.common import django_env  # noqa: E402
from bench.seed import LIVE_POSITION  # noqa: E402
from bench.stack import web_server  # noqa: E402
from interviews.models import Position  # noqa: E402
from interviews.services.candidates import candidate_create  # noqa: E402
from interviews.services.consent import interview_record_consent  # noqa: E402
from interviews.services.invites import interview_create  # noqa: E402
from interviews.web.session import SESSION_KEY  # noqa: E402

WORKERS = 2
CONNECTIONS = 16
ADDRESSES = 250
INTERVIEWS = 1500
ROUND_SECONDS = 6.0
ROUNDS = 2  # per target, alternating
MAX_REQUESTS_PER_ROUND = 6000


def consented_sessions(count: int) -> list[str]:
    """Session ids of browsers that opened an invite and consented."""
    position = Position.objects.get(slug=LIVE_POSITION)
    keys = []
    for i in range(count):
        person = candidate_create(
            email=f"token.{i}.{time.time_ns()}@example.com",
            name=f"Token Candidate {i}",
            position=position,
            experience_years=3,
        )
        interview = interview_create(position=position, candidate=person).interview
        interview_record_consent(interview=interview)
        session = SessionStore()
        session[SESSION_KEY] = str(interview.public_id)
        session.create()
        keys.append(session.session_key)
    return keys


async def load(url: str, sessions: list[str], seconds: float) -> dict:
    """CONNECTIONS workers post as fast as answered for `seconds`."""
    clients = [
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=(loopback_address(i), 0), limit=4)
        )
        for i in range(ADDRESSES)
    ]
    csrf = secrets.token_hex(16)  # an unmasked 32-character secret, as the cookie holds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(MAX_REQUESTS_PER_ROUND))
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        for i in counter:
            if time.perf_counter() > deadline:
                return
            cookie = (
                f"{settings.SESSION_COOKIE_NAME}={sessions[i % len(sessions)]}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}"
            )
            headers = {"Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/json"}
            started = time.perf_counter()
            async with clients[i % ADDRESSES].post(url, data=b"{}", headers=headers) as response:
                await response.read()
            latencies.append(time.perf_counter() - started)
            statuses[response.status] = statuses.get(response.status, 0) + 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    finally:
        await asyncio.gather(*(client.close() for client in clients))
    elapsed = time.perf_counter() - started
    ok = statuses.get(201, 0)
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "ok_per_second": round(ok / elapsed, 1),
        "latency": summary_ms(latencies),
    }


async def measure(base_url: str, sessions: list[str]) -> dict:
    targets = {"trivial": f"{base_url}/bench/trivial", "token": f"{base_url}/interview/token"}
    for url in targets.values():  # warm both workers up
        await load(url, sessions[:50], 1.0)
    rounds: dict[str, list[dict]] = {name: [] for name in targets}
    for _ in range(ROUNDS):
        for name, url in targets.items():
            rounds[name].append(await load(url, sessions, ROUND_SECONDS))
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result = {"load_average": load_average(), "server": f"uvicorn --workers {WORKERS}"}
    sessions = consented_sessions(INTERVIEWS)
    env = django_env(os.environ["DATABASE_URL"], **PRODUCTION)
    with web_server(env, workers=WORKERS) as base_url:
        time.sleep(2)
        rounds = asyncio.run(measure(base_url, sessions))
    for name, measured in rounds.items():
        best = max(measured, key=lambda r: r["ok_per_second"])
        result[name] = {
            "ok_per_second": best["ok_per_second"],
            "p99_ms": best["latency"]["p99_ms"],
            "median_ms": best["latency"]["median_ms"],
            "rounds": measured,
        }
    result["ratio"] = round(
        result["token"]["ok_per_second"] / result["trivial"]["ok_per_second"], 3
    )
    result["connections"] = CONNECTIONS
    write_json(args.out, result)


if __name__ == "__main__":
    main()
