"""Export everything held about one candidate, as JSON (their right of access)."""

import json

from django.core.management.base import BaseCommand, CommandError

from interviews.selectors import reports
from interviews.selectors.candidates import candidate_by_email


class Command(BaseCommand):
    help = "Print (or write to --output) all data held about the candidate with --email."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--output", help="A file to write instead of standard output.")

    def handle(self, *args, email: str, output: str | None, **options) -> None:
        candidate = candidate_by_email(email=email)
        if candidate is None:
            raise CommandError("No candidate has that email address.")
        data = reports.candidate_export(candidate=candidate)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stdout.write(f"Written to {output}.")
        else:
            self.stdout.write(text)
