"""Figure 4: the token endpoint under the production ASGI server (uvicorn, one worker,
DEBUG off) set up as docs/deploy.md deploys it (PostgreSQL with a pool of connections,
Redis as the cache that counts the rate limits), against a trivial view in the same
server behind the same middleware, in alternating rounds, loaded by `wrk` (one thread of
C, lighter on the shared cores than a Python client). Each round also reports the web
process's CPU time per request: on these shared cores, the steadier measure.

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from bench.common import load_average, setup_django, write_json

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "bench-" + "s" * 50,
    "LIVEKIT_API_KEY": "benchkey",
    "LIVEKIT_API_SECRET": "bench-secret-" + "x" * 32,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "False",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    # A pool of PostgreSQL connections per web process, not a new connection per request:
    # one per request in flight (each holds its own until it ends, see below).
    "DATABASE_POOL_MAX_SIZE": "16",
}
os.environ.update(PRODUCTION)
setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from bench.common import ROOT, django_env, free_port, stop_process, wait_for_port  # noqa: E402
from bench.seed import LIVE_POSITION  # noqa: E402
from bench.stack import web_server  # noqa: E402
from interviews.models import Position  # noqa: E402
from interviews.services.candidates import candidate_create  # noqa: E402
from interviews.services.consent import interview_record_consent  # noqa: E402
from interviews.services.invites import interview_create  # noqa: E402
from interviews.web.session import LINK_KEY, SESSION_KEY, link_generation  # noqa: E402

# One process: with `--workers 2` (uvicorn 0.54) every request on this machine took about
# 50 ms even alone (7 ms with one worker), and two did not serve more than one. In it, one
# thread runs the event loop and Django runs each request's synchronous part (middleware,
# view) in a thread of that request's own, with a database connection of its own.
WORKERS = 1
CONNECTIONS = 16
WRK_THREADS = 1
# A light load too (one connection per worker): latency without a queue in front of it.
LIGHT_CONNECTIONS = WORKERS
# Enough that no interview (10 a minute) or address (30 a minute) reaches its limit at a
# few thousand requests a second over the run.
ADDRESSES = 20_000
INTERVIEWS = 3000
ROUND_SECONDS = 5
ROUNDS = 3  # per target, alternating
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
        session[LINK_KEY] = link_generation(interview)
        session.create()
        keys.append(str(session.session_key))  # set by create()
    return keys


@contextmanager
def redis_server(workdir: str) -> Iterator[str]:
    """A redis-server on a free loopback port, as the deployment's Redis; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing: `apt-get install redis-server`")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
        + ["--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=10, process=process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(process)


def server_process(base_url: str) -> psutil.Process:
    """The uvicorn process listening at `base_url`."""
    port = base_url.rsplit(":", 1)[1]
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "uvicorn" in " ".join(cmdline) and port in cmdline:
            return process
    raise RuntimeError(f"no uvicorn process on port {port}")


def load(
    url: str,
    sessions_file: Path,
    seconds: int,
    connections: int = CONNECTIONS,
    server: psutil.Process | None = None,
) -> dict:
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
    cpu_before = sum(server.cpu_times()[:2]) if server else 0.0
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
    if server is not None and measured["requests"]:
        cpu = sum(server.cpu_times()[:2]) - cpu_before
        measured["server_cpu_ms_per_request"] = round(cpu * 1000 / measured["requests"], 2)
    return measured


def measure(base_url: str, sessions_file: Path) -> dict:
    targets = {"trivial": f"{base_url}/bench/trivial", "token": f"{base_url}/interview/token"}
    server = server_process(base_url)
    for url in targets.values():  # warm the server up
        load(url, sessions_file, 1)
    rounds: dict[str, list[dict]] = {name: [] for name in targets}
    for _ in range(ROUNDS):
        for name, url in targets.items():
            rounds[name].append(load(url, sessions_file, ROUND_SECONDS, server=server))
    for name, url in targets.items():
        rounds[f"{name}_light"] = [
            load(url, sessions_file, ROUND_SECONDS, connections=LIGHT_CONNECTIONS, server=server)
        ]
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result: dict[str, Any] = {
        "load_average": load_average(),
        "server": f"uvicorn --workers {WORKERS}",
        "setup": (
            f"{WORKERS} worker: one event-loop thread and a thread per request in flight; "
            "DEBUG off, test secrets; PostgreSQL with durable commits and a pool of "
            f"{PRODUCTION['DATABASE_POOL_MAX_SIZE']} connections; Redis as the cache, "
            "counting the rate limits"
        ),
        "load_generator": f"wrk -t{WRK_THREADS} -c{CONNECTIONS} -d{ROUND_SECONDS}s",
    }
    sessions = consented_sessions(INTERVIEWS)
    with tempfile.TemporaryDirectory() as workdir, redis_server(workdir) as redis_url:
        env = django_env(os.environ["DATABASE_URL"], **PRODUCTION, REDIS_URL=redis_url)
        with web_server(env, workers=WORKERS) as base_url:
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
            "server_cpu_ms_per_request": best.get("server_cpu_ms_per_request"),
            "rounds": measured,
        }
    result["light_connections"] = LIGHT_CONNECTIONS
    result["ratio"] = round(
        result["token"]["ok_per_second"] / result["trivial"]["ok_per_second"], 3
    )
    result["connections"] = CONNECTIONS
    cpu = [result[name]["server_cpu_ms_per_request"] for name in ("trivial", "token")]
    if all(cpu):
        # What the ratio would be if the web process's CPU were the only bound.
        result["cpu_ratio"] = round(cpu[0] / cpu[1], 3)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
