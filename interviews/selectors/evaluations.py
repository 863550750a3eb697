from django.db.models import Q, QuerySet

from interviews.models import Evaluation, Interview


def evaluations_due(*, include_failed: bool = False) -> QuerySet[Interview]:
    """Completed interviews whose evaluation has never run (and failed ones, when asked)."""
    due = Q(evaluation__isnull=True) | Q(
        evaluation__status=Evaluation.Status.AWAITING_REVIEW, evaluation__attempts=0
    )
    if include_failed:
        due |= Q(evaluation__status=Evaluation.Status.FAILED)
    return (
        Interview.objects.filter(status=Interview.Status.COMPLETED)
        .filter(due)
        .order_by("ended_at", "pk")
    )
