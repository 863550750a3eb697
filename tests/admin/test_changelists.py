from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Interview
from interviews.services.decisions import decision_record
from interviews.services.operation_log import operation_log_record
from tests.admin.rows import MODELS, filled_interview, make_rows

pytestmark = pytest.mark.django_db

# Every list in the back office, by its URL name.
EVERY_CHANGELIST = sorted(
    f"{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
)
OUR_CHANGELISTS = [name for name in EVERY_CHANGELIST if name.startswith("interviews_")]


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_loads_and_searches(recruiter_client, model):
    filled_interview()
    url = reverse(f"admin:interviews_{model}_changelist")
    assert recruiter_client.get(url).status_code == 200
    assert recruiter_client.get(url, {"q": "Person"}).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_every_change_page_loads(recruiter_client, model):
    interview = filled_interview()
    obj = {
        "position": interview.position,
        "question": interview.asked.first().question,
        "candidate": interview.candidate,
        "interview": interview,
    }[model]
    response = recruiter_client.get(reverse(f"admin:interviews_{model}_change", args=[obj.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_changelists_issue_a_constant_number_of_queries(recruiter_client, model):
    url = reverse(f"admin:interviews_{model}_changelist")
    make_rows(3)
    with CaptureQueriesContext(connection) as few:
        assert recruiter_client.get(url).status_code == 200
    make_rows(52)
    with CaptureQueriesContext(connection) as many:
        assert recruiter_client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_changelists_with_50_rows_stay_within_a_dozen_queries(recruiter_client):
    make_rows(55)
    for model in MODELS:
        with CaptureQueriesContext(connection) as queries:
            recruiter_client.get(reverse(f"admin:interviews_{model}_changelist"))
        assert len(queries) <= 12, (model, len(queries))


def filled_and_decided(count: int, decided_by) -> None:
    for n in range(count):
        interview = filled_interview(n)
        decision_record(
            interview=interview, decision="advance", note="Good.", decided_by=decided_by
        )
    operation_log_record(interviews=Interview.objects.all())


@dataclass
class ListQueries:
    few: list[str]  # the SQL of one load with 3 decided interviews
    many: list[str]  # and with 60


@pytest.fixture(scope="module")
def queries_of_every_list(django_db_setup, django_db_blocker) -> dict[str, ListQueries]:
    """Every list in the back office, loaded with 3 decided interviews and again with 60.
    Filled once for all the lists (filling 60 interviews for each list took most of the
    back office's test time), in a transaction rolled back afterwards."""
    measured: dict[str, ListQueries] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        recruiter = get_user_model().objects.create_superuser("recruiter", "r@example.com", "pw")
        client = Client()
        client.force_login(recruiter)

        def load_every_list() -> dict[str, list[str]]:
            loads = {}
            for changelist in EVERY_CHANGELIST:
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(reverse(f"admin:{changelist}"))
                assert response.status_code == 200, changelist
                loads[changelist] = [query["sql"] for query in queries.captured_queries]
            return loads

        filled_and_decided(3, recruiter)
        few = load_every_list()
        filled_and_decided(57, recruiter)
        many = load_every_list()
        transaction.set_rollback(True)
    for changelist in EVERY_CHANGELIST:
        measured[changelist] = ListQueries(few=few[changelist], many=many[changelist])
    return measured


@pytest.mark.parametrize("changelist", EVERY_CHANGELIST)
def test_every_list_in_the_back_office_issues_as_many_queries_for_60_rows_as_for_3(
    queries_of_every_list, changelist
):
    loads = queries_of_every_list[changelist]
    assert len(loads.many) == len(loads.few), loads.many
    assert len(loads.many) <= 12


@pytest.mark.parametrize("changelist", OUR_CHANGELISTS)
def test_no_list_in_the_back_office_groups_or_counts_every_related_row(
    recruiter_client, django_user_model, changelist
):
    """Counts shown per row are correlated subqueries (computed for the rows shown), the
    paginator counts the list once, and there is no date hierarchy over every row."""
    filled_and_decided(3, django_user_model.objects.get(username="recruiter"))
    with CaptureQueriesContext(connection) as queries:
        assert recruiter_client.get(reverse(f"admin:{changelist}")).status_code == 200
    sqls = [q["sql"].upper() for q in queries.captured_queries]
    counts = [sql for sql in sqls if '"__COUNT"' in sql]
    assert len(counts) <= 1, counts
    assert not [sql for sql in counts if "GROUP BY" in sql or "JOIN" in sql], counts
    assert not [sql for sql in sqls if "DISTINCT" in sql and "DATE" in sql], sqls
