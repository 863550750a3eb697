"""The bias audit counted by the database: which interviews count, the answers they are
grouped by, the current decision, the mean score and the median; the same figures as the
audit computed candidate by candidate; and a page whose queries do not grow with the
number of candidates."""

import random
import statistics
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Avg
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.models import (
    DecisionRecord,
    Evaluation,
    Interview,
    InterviewQuestion,
    QuestionScore,
    SelfIdentification,
    Stage,
)
from interviews.selectors.bias_audit import (
    MIN_CELL,
    UNKNOWN,
    AnswerGroup,
    AuditCounts,
    bias_audit,
)
from interviews.selectors.bias_audit_counts import audit_counts
from tests.factories import InterviewFactory, PositionFactory

pytestmark = pytest.mark.django_db

AUDIT_URL = reverse("admin:interviews_biasaudit_changelist")
EVALUATED = Evaluation.Status.EVALUATED


def audited(
    position,
    *,
    answers=None,
    decisions=(),
    at_the_same_time=False,
    scores=None,
    evaluation=EVALUATED,
    status=Interview.Status.COMPLETED,
    started_at=None,
):
    """An interview of a new candidate who gave these answers ((sex, race/ethnicity), None
    for no answer), with these decisions in the order recorded, and an evaluation with
    these scores (None: no evaluation; a None score: an answer without evidence)."""
    interview = InterviewFactory(
        position=position, status=status, started_at=started_at or timezone.now()
    )
    if answers is not None:
        SelfIdentification.objects.create(
            candidate=interview.candidate, sex=answers[0], race_ethnicity=answers[1]
        )
    first = timezone.now() - timedelta(days=1)
    for n, decision in enumerate(decisions):
        DecisionRecord.objects.create(
            interview=interview,
            decision=decision,
            note="Note.",
            decided_by_username="recruiter",
            decided_at=first if at_the_same_time else first + timedelta(hours=n),
        )
    if scores is not None:
        evaluated = Evaluation.objects.create(interview=interview, status=evaluation)
        for sequence, score in enumerate(scores, start=1):
            asked = InterviewQuestion.objects.create(
                interview=interview, sequence=sequence, stage=Stage.TECHNICAL, text="Why?"
            )
            QuestionScore.objects.create(
                evaluation=evaluated,
                interview_question=asked,
                score=score,
                insufficient_evidence=score is None,
            )
    return interview


@pytest.fixture
def position():
    return PositionFactory()


def test_candidates_are_counted_by_their_answers_and_unknown_without_one(position):
    for _ in range(2):
        audited(position, answers=("female", "asian"))
    audited(position, answers=("male", "prefer_not_to_say"))
    audited(position, answers=("prefer_not_to_say", "prefer_not_to_say"))
    for _ in range(2):
        audited(position)

    counts = audit_counts(position=position)

    assert counts.groups == [
        AnswerGroup("female", "asian", count=2),
        AnswerGroup("male", "prefer_not_to_say", count=1),
        AnswerGroup("prefer_not_to_say", "prefer_not_to_say", count=1),
        AnswerGroup(UNKNOWN, UNKNOWN, count=2),
    ]
    sex = {row.key: row.count for row in bias_audit(counts).tables["sex"]}
    assert sex == {"female": 2, "male": 1, UNKNOWN: 3}


def test_the_current_decision_is_the_latest_recorded(position):
    answers = ("female", "asian")
    audited(position, answers=answers, decisions=["advance", "reject"])
    audited(position, answers=answers, decisions=["reject", "advance"])
    audited(position, answers=answers, decisions=["hold"])
    audited(position, answers=answers, decisions=["reject", "advance"], at_the_same_time=True)
    audited(position, answers=answers)

    counts = audit_counts(position=position)

    assert counts.groups == [AnswerGroup("female", "asian", count=5, decided=4, selected=2)]


def test_the_mean_score_is_over_the_scored_answers_of_a_completed_evaluation(position):
    female, male = ("female", "asian"), ("male", "white")
    audited(position, answers=female, scores=[1, 2])
    audited(position, answers=female, scores=[2, None, 4])
    audited(position, answers=female, scores=[5, 5], evaluation=Evaluation.Status.FAILED)
    audited(position, answers=male, scores=[4, 4])
    audited(position, answers=male, scores=[5])
    audited(position, answers=male, scores=[None, None])
    audited(position, answers=male, scores=[5], evaluation=Evaluation.Status.AWAITING_REVIEW)
    audited(position, answers=male)

    counts = audit_counts(position=position)

    # The means: 1.5 and 3 (female), 4 and 5 (male); the median is between 3 and 4.
    assert counts.median_score == 3.5
    assert counts.groups == [
        AnswerGroup("female", "asian", count=3, scored=2, above_median=0),
        AnswerGroup("male", "white", count=5, scored=2, above_median=2),
    ]


def test_the_median_of_an_odd_number_of_scores_is_the_middle_one_and_not_above_itself(
    position,
):
    for scores in ([2], [3, 3], [4, 5], [5]):
        audited(position, answers=("female", "asian"), scores=scores)
    audited(position, answers=("female", "asian"), scores=[3])

    counts = audit_counts(position=position)

    assert counts.median_score == 3.0
    assert counts.groups == [
        AnswerGroup("female", "asian", count=5, scored=5, above_median=2),
    ]


def test_a_period_without_scores_has_no_median(position):
    audited(position, answers=("female", "asian"), decisions=["advance"])

    counts = audit_counts(position=position)

    assert counts.median_score is None
    assert counts.groups == [AnswerGroup("female", "asian", count=1, decided=1, selected=1)]


def test_only_ended_interviews_of_the_position_started_in_the_period_count(position):
    today = timezone.localdate()
    answers = ("female", "asian")
    audited(position, answers=answers)
    audited(position, answers=answers, status=Interview.Status.INTERRUPTED)
    audited(position, answers=answers, status=Interview.Status.IN_PROGRESS)
    audited(position, answers=answers, started_at=timezone.now() - timedelta(days=3))
    audited(PositionFactory(), answers=answers)
    InterviewFactory(position=position, candidate=None, status=Interview.Status.COMPLETED)
    Interview.objects.filter(candidate=None).update(started_at=timezone.now())

    counts = audit_counts(position=position, since=today, until=today)

    assert counts.groups == [AnswerGroup("female", "asian", count=2)]
    assert sum(g.count for g in audit_counts(since=today - timedelta(days=3)).groups) == 4
    assert audit_counts(until=today - timedelta(days=4)).groups == []


# --- The same figures as the audit computed candidate by candidate -----------------------


def read_one_by_one(position):
    """The audit's input as it was read before the database counted it: every audited
    interview, its candidate's answers, its latest decision and the database's mean of its
    evaluation's scores, then counted here."""
    interviews = list(
        Interview.objects.filter(
            position=position,
            status__in=Interview.ENDED_STATUSES,
            started_at__isnull=False,
            candidate__isnull=False,
        ).select_related("candidate__self_identification")
    )
    means = dict(
        QuestionScore.objects.filter(score__isnull=False, evaluation__status=EVALUATED)
        .values("evaluation__interview_id")
        .annotate(mean=Avg("score"))
        .values_list("evaluation__interview_id", "mean")
    )
    rows = []
    for interview in interviews:
        identity = getattr(interview.candidate, "self_identification", None)
        latest = max(interview.decisions.all(), key=lambda d: (d.decided_at, d.pk), default=None)
        mean = means.get(interview.pk)
        rows.append(
            (
                identity.sex if identity else UNKNOWN,
                identity.race_ethnicity if identity else UNKNOWN,
                None if latest is None else latest.decision == "advance",
                None if mean is None else float(mean),
            )
        )
    scores = [score for *_, score in rows if score is not None]
    median = statistics.median(scores) if scores else None
    counted: dict[tuple[str, str], Counter] = {}
    for sex, race, advanced, score in rows:
        group = counted.setdefault((sex, race), Counter())
        group["count"] += 1
        group["decided"] += advanced is not None
        group["selected"] += advanced is True
        group["scored"] += score is not None
        group["above_median"] += score is not None and score > median
    groups = [AnswerGroup(sex, race, **figures) for (sex, race), figures in sorted(counted.items())]
    return AuditCounts(groups=groups, median_score=median)


def test_the_figures_are_those_of_the_candidate_by_candidate_audit(position):
    chance = random.Random(23)
    sexes, races = SelfIdentification.Sex.values, SelfIdentification.RaceEthnicity.values
    for _ in range(60):
        audited(
            position,
            answers=chance.choice([None, (chance.choice(sexes), chance.choice(races))]),
            decisions=chance.choices(["advance", "hold", "reject"], k=chance.randint(0, 3)),
            at_the_same_time=chance.random() < 0.2,
            scores=chance.choice(
                [None, [chance.choice([None, 1, 2, 3, 4, 5]) for _ in range(chance.randint(1, 4))]]
            ),
            evaluation=chance.choice([EVALUATED, EVALUATED, Evaluation.Status.FAILED]),
            status=chance.choice(Interview.Status.values),
        )

    expected = read_one_by_one(position)

    assert audit_counts(position=position) == expected
    assert sum(group.count for group in expected.groups) > 20
    assert expected.median_score is not None
    for min_cell in (0, 2, MIN_CELL):
        assert bias_audit(audit_counts(position=position), min_cell=min_cell) == bias_audit(
            expected, min_cell=min_cell
        )


# --- The page -------------------------------------------------------------------------------


def test_the_page_issues_as_many_queries_for_30_candidates_as_for_3(admin_client, position):
    today = timezone.localdate().isoformat()
    query = {"since": today, "until": today}
    chance = random.Random(5)
    sexes, races = SelfIdentification.Sex.values, SelfIdentification.RaceEthnicity.values

    def add(count):
        for _ in range(count):
            audited(
                position,
                answers=(chance.choice(sexes), chance.choice(races)),
                decisions=[chance.choice(["advance", "reject"])],
                scores=[chance.randint(1, 5), chance.randint(1, 5)],
            )

    add(3)
    with CaptureQueriesContext(connection) as few:
        page = admin_client.get(AUDIT_URL, query)
    add(27)
    with CaptureQueriesContext(connection) as many:
        page_again = admin_client.get(AUDIT_URL, query)
    with CaptureQueriesContext(connection) as export:
        exported = admin_client.get(AUDIT_URL, {**query, "format": "csv"})

    assert page.status_code == page_again.status_code == exported.status_code == 200
    assert "3 candidate(s) assessed" in page.content.decode()
    assert "30 candidate(s) assessed" in page_again.content.decode()
    assert len(many) == len(few) <= 12, [q["sql"] for q in many.captured_queries]
    assert len(export) <= len(few)
    # Reading the audit writes nothing.
    statements = [q["sql"].lstrip().upper() for q in many.captured_queries]
    assert not [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
