import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from interviews.models import EmailCode, IdentifyAttempt, Interview
from interviews.models.identity import MAX_CODE_ATTEMPTS
from interviews.services import candidates, identity
from interviews.services.invites import interview_create
from tests.factories import CandidateFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    """Every count of a test falls in one window of the limiter, wherever the clock is."""
    monkeypatch.setattr(
        "interviews.services.ratelimits.time", SimpleNamespace(time=lambda: 864_000_030.0)
    )


def open_interview(network: str = "") -> Interview:
    interview = interview_create(position=PositionFactory(title="Data engineer")).interview
    Interview.objects.filter(pk=interview.pk).update(client_network=network)
    interview.refresh_from_db()
    return interview


def sent_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_the_code_email_is_the_same_whether_or_not_the_address_has_a_profile():
    CandidateFactory(email="known@example.com", name="Known Person")
    identity.email_code_send(interview=open_interview(), email="Known@Example.com")
    identity.email_code_send(interview=open_interview(), email="nobody@example.com")
    known, unknown = mail.outbox
    assert known.to == ["known@example.com"] and unknown.to == ["nobody@example.com"]
    assert known.subject == unknown.subject
    assert re.sub(r"\d{6}", "CODE", known.body) == re.sub(r"\d{6}", "CODE", unknown.body)
    assert "Known Person" not in known.body


def test_only_a_keyed_hash_of_the_code_is_stored():
    interview = open_interview()
    stored = identity.email_code_send(interview=interview, email="a@example.com")
    code = sent_code()
    assert code not in str(EmailCode.objects.values().get())
    assert stored.matches(code)
    assert not stored.matches(f"{(int(code) + 1) % 1_000_000:06d}")


def test_the_right_code_ties_an_existing_profile_to_the_interview():
    candidate = CandidateFactory(email="known@example.com")
    interview = open_interview()
    identity.email_code_send(interview=interview, email="known@example.com")
    assert Interview.objects.get(pk=interview.pk).candidate is None
    verified = identity.email_code_verify(interview=interview, code=sent_code())
    assert verified.candidate == candidate
    assert Interview.objects.get(pk=interview.pk).candidate == candidate


def test_a_verified_new_address_may_create_its_profile_and_no_other():
    interview = open_interview()
    identity.email_code_send(interview=interview, email="new@example.com")
    verified = identity.email_code_verify(interview=interview, code=f"  {sent_code()} ")
    assert verified.candidate is None and verified.email == "new@example.com"
    with pytest.raises(ValidationError) as refused:
        candidates.interview_register_candidate(
            interview=interview,
            email="other@example.com",
            name="Other",
            position=interview.position,
            experience_years=2,
        )
    assert refused.value.code == "email_not_verified"
    candidates.interview_register_candidate(
        interview=interview,
        email="new@example.com",
        name="New Person",
        position=interview.position,
        experience_years=2,
    )
    assert Interview.objects.get(pk=interview.pk).candidate.email == "new@example.com"


def test_no_profile_is_created_on_an_open_link_without_a_code():
    interview = open_interview()
    with pytest.raises(ValidationError) as refused:
        candidates.interview_register_candidate(
            interview=interview,
            email="new@example.com",
            name="New Person",
            position=interview.position,
            experience_years=2,
        )
    assert refused.value.code == "email_not_verified"


def test_a_wrong_code_costs_a_try_and_the_code_dies_after_the_cap():
    CandidateFactory(email="known@example.com")
    interview = open_interview()
    identity.email_code_send(interview=interview, email="known@example.com")
    right = sent_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    codes = []
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(ValidationError) as refused:
            identity.email_code_verify(interview=interview, code=wrong)
        codes.append(refused.value.code)
    assert codes == ["code_wrong"] * (MAX_CODE_ATTEMPTS - 1) + ["code_exhausted"]
    assert EmailCode.objects.get().attempts == MAX_CODE_ATTEMPTS
    with pytest.raises(ValidationError) as refused:
        identity.email_code_verify(interview=interview, code=right)
    assert refused.value.code == "code_expired"
    assert Interview.objects.get(pk=interview.pk).candidate is None


def test_the_database_refuses_attempts_beyond_the_cap():
    interview = open_interview()
    identity.email_code_send(interview=interview, email="a@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailCode.objects.update(attempts=MAX_CODE_ATTEMPTS + 1)


def test_an_expired_code_is_refused(settings):
    settings.EMAIL_CODE_TTL_MINUTES = 10
    interview = open_interview()
    sent_at = timezone.now()
    identity.email_code_send(interview=interview, email="a@example.com", now=sent_at)
    with pytest.raises(ValidationError) as refused:
        identity.email_code_verify(
            interview=interview, code=sent_code(), now=sent_at + timedelta(minutes=11)
        )
    assert refused.value.code == "code_expired"


def test_a_new_code_replaces_the_earlier_one():
    interview = open_interview()
    identity.email_code_send(interview=interview, email="a@example.com")
    first = sent_code()
    identity.email_code_send(interview=interview, email="a@example.com")
    second = sent_code()
    if first != second:
        with pytest.raises(ValidationError):
            identity.email_code_verify(interview=interview, code=first)
    assert identity.email_code_verify(interview=interview, code=second).email == "a@example.com"


def test_identify_attempts_are_capped_per_interview_in_the_database():
    interview = open_interview()
    for n in range(identity.MAX_IDENTIFY_ATTEMPTS):
        identity.email_code_send(interview=interview, email=f"a{n}@example.com")
    # A reconnect is a new interviewer with no memory: the count is in the database.
    with pytest.raises(ValidationError) as refused:
        identity.email_code_send(
            interview=Interview.objects.get(pk=interview.pk), email="late@example.com"
        )
    assert refused.value.code == "identify_quota"
    assert IdentifyAttempt.objects.filter(interview=interview).count() == (
        identity.MAX_IDENTIFY_ATTEMPTS
    )
    assert len(mail.outbox) == identity.MAX_IDENTIFY_ATTEMPTS


def test_identify_attempts_are_capped_per_client_network_across_interviews():
    limit, _window = identity.MAX_IDENTIFY_ATTEMPTS_PER_NETWORK
    sent = 0
    while sent < limit:
        interview = open_interview(network="203.0.113.7")
        for _ in range(min(identity.MAX_IDENTIFY_ATTEMPTS, limit - sent)):
            identity.email_code_send(interview=interview, email=f"x{sent}@example.com")
            sent += 1
    with pytest.raises(ValidationError) as refused:
        identity.email_code_send(
            interview=open_interview(network="203.0.113.7"), email="y@example.com"
        )
    assert refused.value.code == "identify_quota"
    identity.email_code_send(
        interview=open_interview(network="198.51.100.1"), email="z@example.com"
    )


def test_a_failed_send_says_so_and_leaves_no_usable_code(settings):
    settings.EMAIL_BACKEND = "tests.services.test_identity.FailingBackend"
    interview = open_interview()
    with pytest.raises(ValidationError) as refused:
        identity.email_code_send(interview=interview, email="a@example.com")
    assert refused.value.code == "email_not_sent"
    assert not EmailCode.objects.get().is_usable()


class FailingBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_an_identified_interview_refuses_every_way_of_identifying_again_with_one_message():
    interview = interview_create(
        position=PositionFactory(), candidate=CandidateFactory(email="known@example.com")
    ).interview
    refusals = []
    for attempt in (
        lambda: candidates.refuse_if_identified(interview),
        lambda: identity.email_code_send(interview=interview, email="other@example.com"),
        lambda: candidates.interview_register_candidate(
            interview=interview,
            email="other@example.com",
            name="Other Person",
            position=interview.position,
            experience_years=3,
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        refusals.append((refused.value.code, refused.value.messages))
    assert refusals == [("candidate_fixed", [candidates.ALREADY_IDENTIFIED])] * 3
    assert not EmailCode.objects.filter(interview=interview).exists()
    interview.refresh_from_db()
    assert interview.candidate.email == "known@example.com"


def test_an_interview_without_a_candidate_may_be_identified():
    candidates.refuse_if_identified(open_interview())


def test_codes_to_one_address_are_limited_across_interviews_and_networks():
    per_hour, _ = identity.CODES_PER_RECIPIENT[0]
    for n in range(per_hour):
        identity.email_code_send(
            interview=open_interview(network=f"2001:db8:{n}::/64"), email="Victim@Example.com"
        )

    with pytest.raises(ValidationError) as refused:
        identity.email_code_send(
            interview=open_interview(network="2001:db8:99::/64"), email="victim@example.com"
        )
    identity.email_code_send(interview=open_interview(), email="someone.else@example.com")

    assert refused.value.code == "identify_quota"
    assert [m.to for m in mail.outbox].count(["victim@example.com"]) == per_hour
    assert EmailCode.objects.filter(email="victim@example.com").count() == per_hour
    assert EmailCode.objects.filter(email="someone.else@example.com").count() == 1


def test_codes_to_one_address_are_limited_per_day_too(monkeypatch):
    per_day, _ = identity.CODES_PER_RECIPIENT[1]
    sent = 0
    for hour in range(5):
        now = 864_000_030.0 + hour * 3600
        monkeypatch.setattr(
            "interviews.services.ratelimits.time", SimpleNamespace(time=lambda now=now: now)
        )
        for _ in range(3):
            try:
                identity.email_code_send(interview=open_interview(), email="victim@example.com")
                sent += 1
            except ValidationError as refused:
                assert refused.code == "identify_quota"
    assert sent == per_day
    assert len(mail.outbox) == per_day


def test_guesses_at_one_addresss_codes_are_capped_across_interviews():
    tries, _ = identity.CODE_TRIES_PER_RECIPIENT
    guesses = 0
    interviews = [open_interview(network=f"198.51.100.{n}") for n in range(3)]
    for interview in interviews[:2]:
        identity.email_code_send(interview=interview, email="victim@example.com")
        for _ in range(MAX_CODE_ATTEMPTS):
            with pytest.raises(ValidationError):
                identity.email_code_verify(interview=interview, code="000000")
            guesses += 1
    assert guesses == tries

    last = interviews[2]
    identity.email_code_send(interview=last, email="victim@example.com")
    with pytest.raises(ValidationError) as refused:
        identity.email_code_verify(interview=last, code=sent_code())

    assert refused.value.code == "identify_quota"
    assert not EmailCode.objects.filter(verified_at__isnull=False).exists()
    assert Interview.objects.get(pk=last.pk).candidate is None


def test_the_code_email_says_never_to_share_the_code():
    identity.email_code_send(interview=open_interview(), email="a@example.com")
    assert "Never share this code" in mail.outbox[0].body
