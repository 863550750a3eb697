"""Export everything held about one candidate, as JSON (their right of access), or with
--explanation the plain-language explanation of their interviews."""

import json

from django.core.management.base import BaseCommand, CommandError

from interviews.selectors import reports
from interviews.selectors.candidates import candidate_by_email
from interviews.selectors.explanation import candidate_explanation


class Command(BaseCommand):
    help = (
        "Print (or write to --output) all data held about the candidate with --email; with "
        "--explanation, an explanation in plain language of each of their interviews."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--output", help="A file to write instead of standard output.")
        parser.add_argument(
            "--explanation",
            action="store_true",
            help="What the interviewer did, the questions and answers, the evaluation and "
            "the human decision, as text to give the candidate.",
        )

    def handle(self, *args, email: str, output: str | None, explanation: bool, **options):
        candidate = candidate_by_email(email=email)
        if candidate is None:
            raise CommandError("No candidate has that email address.")
        if explanation:
            text = candidate_explanation(candidate=candidate).rstrip("\n")
        else:
            data = reports.candidate_export(candidate=candidate)
            identity = getattr(candidate, "self_identification", None)
            if identity is not None:
                # Their own answers are theirs to see; reviewers never see them.
                data["self_identification"] = {
                    "sex": identity.sex,
                    "race_ethnicity": identity.race_ethnicity,
                    "submitted_at": identity.submitted_at.isoformat(),
                }
            text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stdout.write(f"Written to {output}.")
        else:
            self.stdout.write(text)
