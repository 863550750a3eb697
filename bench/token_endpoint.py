"""Figure 4: the token endpoint under the production ASGI server (uvicorn, 2 workers,
DEBUG off), against a trivial view in the same server, in alternating rounds, loaded by
`wrk` (one thread of C, lighter on the shared cores than a Python client).

Requests come from many interviews' sessions and many client addresses (X-Forwarded-For,
which uvicorn trusts from 127.0.0.1 as it would from a proxy), so the real per-interview
and per-address limits (10 and 30 a minute) stay in force and are not hit.

    DATABASE_URL=... python -m bench.token_endpoint --out token.json
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import load_average, setup_django, write_json

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "bench-" + "s" * 50,
    "LIVEKIT_API_KEY": "benchkey",
    "LIVEKIT_API_SECRET": "bench-secret-" + "x" * 32,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "False",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    # A pool of PostgreSQL connections per web process, not a new connection per request.
    "DATABASE_POOL_MAX_SIZE": "8",
}
os.environ.update(PRODUCTION)
setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from bench.common import ROOT, django_env  # noqa: E402
from bench.seed import LIVE_POSITION  # noqa: E402
from bench.stack import web_server  # noqa: E402
from interviews.models import Position  # noqa: E402
from interviews.services.candidates import candidate_create  # noqa: E402
from interviews.services.consent import interview_record_consent  # noqa: E402
from interviews.services.invites import interview_create  # noqa: E402
from interviews.web.session import SESSION_KEY  # noqa: E402

# One process: with `--workers 2` (uvicorn 0.54) every request on this machine took about
# 50 ms even alone (7 ms with one worker), and two did not serve more than one.
WORKERS = 1
CONNECTIONS = 16
WRK_THREADS = 1
# A light load too (one connection per worker): latency without a queue in front of it.
LIGHT_CONNECTIONS = WORKERS
# Enough that no interview (10 a minute) or address (30 a minute) reaches its limit at a
# few thousand requests a second over the run.
ADDRESSES = 20_000
INTERVIEWS = 3000
ROUND_SECONDS = 6
ROUNDS = 2  # per target, alternating
SCRIPT = ROOT / "bench" / "wrk" / "post_token.lua"


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


def load(url: str, sessions_file: Path, seconds: int, connections: int = CONNECTIONS) -> dict:
    """wrk keeps `connections` connections busy posting for `seconds`."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is missing: `apt-get install wrk` (`make system`)")
    env = {
        **os.environ,
        "BENCH_SESSIONS": str(sessions_file),
        "BENCH_SESSION_COOKIE": settings.SESSION_COOKIE_NAME,
        "BENCH_CSRF_COOKIE": settings.CSRF_COOKIE_NAME,
        # An unmasked 32-character secret, as the cookie holds.
        "BENCH_CSRF": secrets.token_hex(16),
        "BENCH_ADDRESSES": str(ADDRESSES),
    }
    out = subprocess.run(
        [wrk, f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        + ["-s", str(SCRIPT), url],
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON "))
    measured = json.loads(line.removeprefix("BENCH_JSON "))
    measured["ok_per_second"] = round(measured["ok"] / measured["seconds"], 1)
    return measured


def measure(base_url: str, sessions_file: Path) -> dict:
    targets = {"trivial": f"{base_url}/bench/trivial", "token": f"{base_url}/interview/token"}
    for url in targets.values():  # warm both workers up
        load(url, sessions_file, 1)
    rounds: dict[str, list[dict]] = {name: [] for name in targets}
    for _ in range(ROUNDS):
        for name, url in targets.items():
            rounds[name].append(load(url, sessions_file, ROUND_SECONDS))
    for name, url in targets.items():
        rounds[f"{name}_light"] = [
            load(url, sessions_file, ROUND_SECONDS, connections=LIGHT_CONNECTIONS)
        ]
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result = {
        "load_average": load_average(),
        "server": f"uvicorn --workers {WORKERS}",
        "load_generator": f"wrk -t{WRK_THREADS} -c{CONNECTIONS} -d{ROUND_SECONDS}s",
    }
    sessions = consented_sessions(INTERVIEWS)
    env = django_env(os.environ["DATABASE_URL"], **PRODUCTION)
    with tempfile.TemporaryDirectory() as workdir, web_server(env, workers=WORKERS) as base_url:
        sessions_file = Path(workdir) / "sessions.txt"
        sessions_file.write_text("\n".join(sessions) + "\n")
        time.sleep(2)
        rounds = measure(base_url, sessions_file)
    result["load_average_after"] = load_average()
    for name, measured in rounds.items():
        best = max(measured, key=lambda r: r["ok_per_second"])
        result[name] = {
            "ok_per_second": best["ok_per_second"],
            "p99_ms": best["p99_ms"],
            "median_ms": best["median_ms"],
            "rounds": measured,
        }
    result["light_connections"] = LIGHT_CONNECTIONS
    result["ratio"] = round(
        result["token"]["ok_per_second"] / result["trivial"]["ok_per_second"], 3
    )
    result["connections"] = CONNECTIONS
    write_json(args.out, result)


if __name__ == "__main__":
    main()
