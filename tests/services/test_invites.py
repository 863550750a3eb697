from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviews.models import (
    Interview,
    hash_invite,
)
from interviews.selectors.interviews import interview_by_invite
from interviews.services.invites import (
    interview_create,
    interview_reissue_invite,
    interview_revoke_invite,
)
from tests.factories import CandidateFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_a_personal_interview_stores_only_the_hash_of_its_invite():
    candidate = CandidateFactory()
    new = interview_create(position=candidate.position, candidate=candidate)
    interview = Interview.objects.get()
    assert len(new.invite_secret) >= 32  # 192 bits, url-safe base64
    assert interview.invite_hash == hash_invite(new.invite_secret)
    assert new.invite_secret not in str(Interview.objects.values().get())
    assert interview.status == Interview.Status.INVITED
    assert interview.kind == Interview.Kind.PERSONAL
    assert interview_by_invite(secret=new.invite_secret) == interview


def test_an_invite_expires_after_the_configured_days(settings):
    settings.INVITE_TTL_DAYS = 3
    now = timezone.now()
    candidate = CandidateFactory()
    interview = interview_create(
        position=candidate.position, candidate=candidate, now=now
    ).interview
    assert interview.invite_expires_at == now + timedelta(days=3)
    assert interview.link_problem(at=now + timedelta(days=2)) is None
    assert interview.link_problem(at=now + timedelta(days=3, seconds=1)) == "expired"


def test_an_open_link_interview_has_no_candidate_and_no_invite():
    interview = interview_create(position=PositionFactory()).interview
    assert interview.candidate is None
    assert interview.invite_hash is None
    assert interview.kind == Interview.Kind.OPEN


def test_no_interview_starts_for_a_closed_position():
    with pytest.raises(ValidationError, match="not open"):
        interview_create(position=PositionFactory(is_active=False))
    assert not Interview.objects.exists()


def test_reissuing_an_invite_replaces_the_old_link():
    candidate = CandidateFactory()
    old = interview_create(position=candidate.position, candidate=candidate)
    interview_revoke_invite(interview=old.interview)
    new = interview_reissue_invite(interview=old.interview)
    assert interview_by_invite(secret=old.invite_secret) is None
    interview = interview_by_invite(secret=new.invite_secret)
    assert interview.pk == old.interview.pk
    assert interview.invite_revoked_at is None


def test_a_revoked_invite_is_no_longer_usable():
    candidate = CandidateFactory()
    new = interview_create(position=candidate.position, candidate=candidate)
    interview_revoke_invite(interview=new.interview)
    new.interview.refresh_from_db()
    assert new.interview.link_problem() == "revoked"
