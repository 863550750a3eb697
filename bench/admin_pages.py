"""Figure 5: every page of the back office at the seeded scale: every admin changelist,
change page and extra page, the bias audit of the seeded year (and its CSV) and the
development outbox; the number of queries and the time of each (median of three, after
one warm-up request).

    DATABASE_URL=... python -m bench.admin_pages --out admin.json
"""

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.common import load_average, setup_django, write_json

setup_django()

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.mail import EmailMessage  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench.seed import CANDIDATES, NOW  # noqa: E402
from interviews.models import BiasAudit, Candidate, Interview, Position  # noqa: E402

REPEATS = 3
# The bias audit opens on the year up to today; the seeded interviews are those up to the
# seed's day, so it is measured on the year up to that day (three in four of them).
SEEDED_YEAR = {
    "since": (NOW - timedelta(days=365)).date().isoformat(),
    "until": NOW.date().isoformat(),
}
# The development outbox holds one file per message sent (the file backend opens one per
# connection, and each invitation is sent on its own): one invitation per seeded candidate.
OUTBOX_MESSAGES = CANDIDATES


def sample_object(model):  # noqa: ANN001, ANN201
    """A representative row: a completed interview with its transcript, a candidate with
    an interview, the position with the most questions; the middle row otherwise."""
    if model is Interview:
        return Interview.objects.filter(status=Interview.Status.COMPLETED).order_by("pk")[50_000]
    if model is Candidate:
        return Candidate.objects.filter(interviews__isnull=False).order_by("pk")[50_000]
    if model is Position:
        return Position.objects.annotate(n=Count("questions")).order_by("-n").first()
    count = model._default_manager.count()
    return model._default_manager.order_by("pk")[count // 2] if count else None


def pages() -> list[tuple[str, str]]:
    found = [("admin index", reverse("admin:index"))]
    interview = sample_object(Interview)
    for model, model_admin in list(admin.site._registry.items()):
        prefix = f"{model._meta.app_label}_{model._meta.model_name}"
        name = f"{model._meta.app_label}.{model.__name__}"
        if model is BiasAudit:
            # Its one page is the audit (no page of one object): opened on the seeded year,
            # then downloaded.
            url = f"{reverse(f'admin:{prefix}_changelist')}?{urlencode(SEEDED_YEAR)}"
            found.append((f"{name} changelist (the seeded year)", url))
            found.append((f"{name} CSV (the seeded year)", f"{url}&format=csv"))
            continue
        found.append((f"{name} changelist", reverse(f"admin:{prefix}_changelist")))
        obj = sample_object(model)
        if obj is not None:
            found.append((f"{name} change", reverse(f"admin:{prefix}_change", args=[obj.pk])))
        # The extra pages (reports, the live dashboard, the invite form...), with the sample
        # object (or interview) in their URL.
        for page in getattr(model_admin, "extra_pages", ()):
            if page.post_only:
                continue  # an action (a switch, a token), not a page anyone opens
            kwargs = {}
            if "<int:object_id>" in page.route and obj is not None:
                kwargs["object_id"] = obj.pk
            if "<int:interview_id>" in page.route:
                kwargs["interview_id"] = interview.pk
            try:
                url = reverse(f"admin:{prefix}_{page.name}", kwargs=kwargs)
            except NoReverseMatch:
                continue
            found.append((f"{name} {page.name}", url))
    found.append(("outbox (development)", reverse("outbox")))
    return found


@contextmanager
def filled_outbox(count: int) -> Iterator[None]:
    """The development outbox (DEBUG, file backend) holding `count` messages, one file
    each, as the file backend writes them."""
    folder = Path(tempfile.mkdtemp(prefix="bench-outbox."))
    template = EmailMessage(
        subject="Your interview for Bench position",
        body="Hello,\n\nYour interview link: http://127.0.0.1:8000/i/0123456789abcdef/\n",
        from_email="Hiring <hiring@localhost>",
        to=["candidate@example.com"],
    )
    message = template.message().as_bytes() + b"\n" + b"-" * 79 + b"\n"
    try:
        first = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
        for n in range(count):
            address = f"seeded.candidate.{n}@example.com".encode()
            # Named as the backend names them: the second each was sent (one a second).
            sent = (first + timedelta(seconds=n)).strftime("%Y%m%d-%H%M%S")
            path = folder / f"{sent}-{n}.log"
            path.write_bytes(message.replace(b"candidate@example.com", address))
        with override_settings(
            DEBUG=True,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(folder),
        ):
            yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(client: Client, url: str) -> dict:
    response = client.get(url)
    status = response.status_code
    times, queries = [], []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        queries.append(len(captured))
        status = response.status_code
    return {
        "url": url,
        "status": status,
        "queries": max(queries),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "load_average": load_average(),
        "pages": {},
    }
    for name, url in pages():
        if url == reverse("outbox"):
            with filled_outbox(OUTBOX_MESSAGES):
                result["pages"][name] = measure(client, url)
        else:
            result["pages"][name] = measure(client, url)
        print(name, result["pages"][name], flush=True)
    write_json(args.out, result)


if __name__ == "__main__":
    main()
