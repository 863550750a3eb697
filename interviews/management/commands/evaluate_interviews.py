"""Evaluate completed interviews with the configured model, outside any live interview."""

from django.core.management.base import BaseCommand

from interviews.evaluation import llm, run
from interviews.models import Evaluation
from interviews.selectors.evaluations import evaluations_due


class Command(BaseCommand):
    help = (
        "Score completed interviews awaiting evaluation against their rubrics, with "
        "EVALUATION_MODEL. Without a model they wait for human review, unscored."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--retry-failed", action="store_true", help="Also rerun evaluations that failed."
        )
        parser.add_argument("--limit", type=int, default=0, help="At most this many interviews.")

    def handle(self, *args, retry_failed: bool, limit: int, **options) -> None:
        due = evaluations_due(include_failed=retry_failed)
        if limit > 0:
            due = due[:limit]
        interviews = list(due)
        model = llm.configured_model()
        if model is None:
            self.stdout.write(
                f"No evaluation model is configured (EVALUATION_MODEL): {len(interviews)} "
                "completed interview(s) wait for human review, unscored."
            )
            return
        evaluated = failed = 0
        for interview in interviews:
            result = run.evaluation_run(interview=interview, model=model)
            if result.status == Evaluation.Status.EVALUATED:
                evaluated += 1
            else:
                failed += 1
                self.stderr.write(f"Interview {interview.public_id}: {result.error}")
        self.stdout.write(f"{evaluated} evaluated, {failed} failed.")
