"""Delete interview data older than the retention period (DATA_RETENTION_DAYS)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interviews.services import erasure


class Command(BaseCommand):
    help = (
        "Delete interviews created more than DATA_RETENTION_DAYS days ago, with their "
        "transcripts, answers, evaluations and decisions, and candidates left with none."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Retention in days (default: {settings.DATA_RETENTION_DAYS}).",
        )

    def handle(self, *args, days: int | None, **options) -> None:
        try:
            record = erasure.interview_purge_expired(retention_days=days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if record is None:
            self.stdout.write("Nothing is older than the retention period.")
            return
        counts = ", ".join(f"{name}: {number}" for name, number in record.counts.items())
        self.stdout.write(f"Deleted {counts}.")
