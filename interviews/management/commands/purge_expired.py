"""Retention by kind: personal data older than DATA_RETENTION_DAYS is deleted, interview
recordings older than RECORDING_RETENTION_DAYS (by default the same); the record
of the system's operation (no personal data) is brought up to date first and kept for
OPERATION_LOG_RETENTION_DAYS (at least six months). Expired browser sessions (every visit
to an open position link keeps one) and the counters of ended rate-limit windows go too."""

from importlib import import_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interviews.models import Interview
from interviews.services import erasure, operation_log, ratelimits, recordings


class Command(BaseCommand):
    help = (
        "Delete interviews created more than DATA_RETENTION_DAYS days ago, with their "
        "transcripts, recordings, answers, coding work, evaluations and decisions, and "
        "candidates left with none; recordings older than RECORDING_RETENTION_DAYS; "
        "keep the operation log (no personal data) for OPERATION_LOG_RETENTION_DAYS."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Retention in days (default: {settings.DATA_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--operation-log-days",
            type=int,
            default=None,
            help=(
                "Retention of the operation log in days, at least "
                f"{operation_log.MIN_OPERATION_LOG_RETENTION_DAYS} "
                f"(default: {settings.OPERATION_LOG_RETENTION_DAYS})."
            ),
        )

    def handle(self, *args, days: int | None, operation_log_days: int | None, **options) -> None:
        try:
            recorded = operation_log.operation_log_record(interviews=Interview.objects.all())
            record = erasure.interview_purge_expired(retention_days=days)
            recordings_deleted = recordings.recording_purge_expired()
            purged = operation_log.operation_log_purge(retention_days=operation_log_days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if record is None:
            self.stdout.write("Nothing is older than the retention period.")
        else:
            counts = ", ".join(f"{name}: {number}" for name, number in record.counts.items())
            self.stdout.write(f"Deleted {counts}.")
        self.stdout.write(
            f"Recordings: {recordings_deleted} older than RECORDING_RETENTION_DAYS "
            f"({settings.RECORDING_RETENTION_DAYS}) deleted."
        )
        self.stdout.write(
            f"Operation log: {recorded} record(s) brought up to date, {purged} older than "
            "its retention period deleted."
        )
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
        counters = ratelimits.purge_ended_windows()
        self.stdout.write(f"Expired sessions cleared; {counters} ended rate-limit counter(s).")
