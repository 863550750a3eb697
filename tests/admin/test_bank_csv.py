import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviews.models import Question
from tests.factories import PositionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:interviews_question_import")
PROCESS = reverse("admin:interviews_question_process_import")
HEADER = "position,stage,text,rubric,band,order\n"


@pytest.fixture
def bank():
    position = PositionFactory(title="Data engineer", slug="data-engineer")
    QuestionFactory(position=position, text="What is a join?", rubric="Inner, outer.", order=1)
    return position


def upload(client, text: str):
    csv = SimpleUploadedFile("bank.csv", text.encode(), content_type="text/csv")
    return client.post(IMPORT, {"format": "0", "import_file": csv})


def confirm(client, preview) -> None:
    page = preview.content.decode()
    fields = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format|resource)"'
            r'[^>]*value="([^"]*)"',
            page,
        )
    )
    client.post(PROCESS, fields)


def test_the_bank_exports_as_csv_with_the_columns_recruiters_edit(recruiter_client, bank):
    response = recruiter_client.post(
        reverse("admin:interviews_question_export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"questionresource_{f}": "on"
                for f in ("position", "stage", "text", "rubric", "band", "order")
            },
        },
    )
    text = b"".join(response).decode() if response.streaming else response.content.decode()
    # A coding question's exercise follows, in columns of its own (test_bank_csv_coding).
    assert text.splitlines()[0].startswith(HEADER.strip() + ",language,")
    assert 'data-engineer,technical,What is a join?,"Inner, outer.",0-60,1,' in text


def test_an_import_previews_new_and_changed_questions_before_saving(recruiter_client, bank):
    preview = upload(
        recruiter_client,
        HEADER
        + 'data-engineer,technical,What is a join?,"Inner, outer, cross.",0-60,1\n'
        + "data-engineer,behavioral,Tell me about a hard bug.,Owns it.,2-10,5\n",
    )
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "New" in page and "Update" in page
    assert Question.objects.filter(position=bank).count() == 1  # nothing saved yet

    confirm(recruiter_client, preview)

    assert Question.objects.get(text="What is a join?").rubric == "Inner, outer, cross."
    added = Question.objects.get(text="Tell me about a hard bug.")
    assert (added.stage, added.min_experience, added.max_experience, added.order) == (
        "behavioral",
        2,
        10,
        5,
    )
    assert added.origin == Question.Origin.RECRUITER and added.is_active


def test_an_import_with_bad_rows_names_each_error_and_saves_nothing(recruiter_client, bank):
    response = upload(
        recruiter_client,
        HEADER
        + "no-such-role,technical,Q one?,,0-3,1\n"
        + "data-engineer,onsite,Q two?,,0-3,2\n"
        + "data-engineer,technical,Q three?,,ten years,3\n"
        + "data-engineer,technical,Q four?,,9-2,4\n",
    )
    page = response.content.decode()
    assert "No position has the slug" in page
    assert "The stage must be one of: technical, coding, behavioral." in page
    assert "Write the band as two years with a dash" in page
    assert "The band must go up" in page
    assert 'name="import_file_name"' not in page  # no confirm button
    assert Question.objects.filter(position=bank).count() == 1


def test_importing_needs_the_rights_to_add_and_change_questions(client, django_user_model, bank):
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_question"))
    client.force_login(viewer)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, HEADER + "data-engineer,technical,New?,,0-3,1\n").status_code == 403
    assert not Question.objects.filter(text="New?").exists()
