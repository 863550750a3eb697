"""Export everything held about one candidate, as JSON (their right of access), or with
--explanation the plain-language explanation of their interviews."""

import json

from django.core.management.base import BaseCommand, CommandError

from interviews.selectors import address_matches, reports
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
        parser.add_argument(
            "--unidentified",
            type=int,
            action="append",
            default=[],
            metavar="INTERVIEW_ID",
            help="An open-link interview nobody was identified in that you confirmed is the "
            "candidate's (the command lists those that mention the address); repeatable.",
        )

    def handle(
        self,
        *args,
        email: str,
        output: str | None,
        explanation: bool,
        unidentified: list[int],
        **options,
    ):
        candidate = candidate_by_email(email=email)
        if candidate is None:
            raise CommandError("No candidate has that email address.")
        confirmed = address_matches.confirmed_unidentified(
            candidate=candidate, confirmed=unidentified
        )
        for match in address_matches.unidentified_matches(candidate=candidate):
            if match.interview.pk not in confirmed:
                self.stderr.write(
                    f"Left out, unless confirmed with --unidentified {match.interview.pk}: "
                    f"{match.interview.position}, {match.interview.created_at:%Y-%m-%d}. "
                    f"{match.reason}"
                )
        if explanation:
            text = candidate_explanation(candidate=candidate).rstrip("\n")
        else:
            data = reports.candidate_export(candidate=candidate, unidentified=confirmed)
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
