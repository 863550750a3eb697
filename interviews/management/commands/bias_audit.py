"""The bias audit's figures as CSV, for one position (or all) and a period."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from interviews.models import Position
from interviews.selectors import bias_audit as figures
from interviews.selectors.bias_audit_counts import audit_counts, audit_scope, default_period


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Print (or write to --output) the bias audit as CSV: counts, selection and scoring "
        "rates and impact ratios by sex, race/ethnicity and their intersections, for "
        "interviews started in the period (default: the last 365 days)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--position", help="A position's slug (default: all positions).")
        parser.add_argument("--since", help="First day, YYYY-MM-DD.")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (default: today).")
        parser.add_argument("--output", help="A file to write instead of standard output.")

    def handle(self, *args, position, since, until, output, **options) -> None:
        chosen = None
        if position:
            chosen = Position.objects.filter(slug=position).first()
            if chosen is None:
                raise CommandError(f"No position has the slug {position!r}.")
        until_day = _date(until) if until else timezone.localdate()
        since_day = _date(since) if since else default_period(until_day)[0]
        if since_day > until_day:
            raise CommandError("The period must end after it starts.")
        result = figures.bias_audit(
            audit_counts(position=chosen, since=since_day, until=until_day),
            min_cell=figures.MIN_CELL,
        )
        text = figures.bias_audit_csv(result, scope=audit_scope(chosen, since_day, until_day))
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            self.stdout.write(f"Written to {output}.")
        else:
            self.stdout.write(text, ending="")
