"""`python manage.py serve`: the web processes' server (daphne), made safe to log.

Daphne writes its access log straight to a stream, so request lines (an invite link's
path holds its secret) would pass the log's redaction. Here each request line goes through
the `hiring.access` logger instead, and its path is redacted like every other record. The
client address is the app's to work out (TRUSTED_PROXIES): daphne's `--proxy-headers`
takes the left-most X-Forwarded-For entry, the one the client wrote, and is refused.
"""

import logging
from typing import Any

from daphne.cli import CommandLineInterface
from django.core.management.base import BaseCommand, CommandError

from interviews.web.log_filters import redact_invites

access_log = logging.getLogger("hiring.access")

REFUSED_OPTIONS = ("--proxy-headers", "--access-log")


def log_action(protocol: str, action: str, details: dict[str, Any]) -> None:
    """Daphne's action logger: one line per request or websocket event, secrets redacted."""
    path = redact_invites(str(details.get("path", "")))
    if protocol == "http" and action == "complete":
        access_log.info(
            '"%s %s" %s %s',
            details.get("method"),
            path,
            details.get("status"),
            details.get("size"),
        )
    elif protocol == "websocket":
        access_log.info("WS%s %s", action.upper(), path)


class Server(CommandLineInterface):
    def run(self, args: list[str]) -> None:
        import daphne.cli

        original = daphne.cli.AccessLogGenerator
        # Daphne builds its access logger from this name when verbosity >= 1.
        daphne.cli.AccessLogGenerator = lambda stream: log_action
        try:
            super().run(args)
        finally:
            daphne.cli.AccessLogGenerator = original


class Command(BaseCommand):
    help = "Run the web server (daphne): `serve -b 127.0.0.1 -p 8000`; daphne's options."

    def add_arguments(self, parser) -> None:
        parser.add_argument("daphne_args", nargs="*", help="daphne's own options")

    def run_from_argv(self, argv: list[str]) -> None:
        # Everything after `serve` is daphne's, options included (Django is set up).
        self.handle(*argv[2:])

    def handle(self, *args: str, **options: Any) -> None:
        refused = [a for a in args if a.split("=")[0] in REFUSED_OPTIONS]
        if refused:
            raise CommandError(
                f"{', '.join(refused)}: not with this server. Client addresses come from "
                "TRUSTED_PROXIES, and request lines go to the log, secrets redacted."
            )
        Server().run([*args, "hiring.asgi:application"])
