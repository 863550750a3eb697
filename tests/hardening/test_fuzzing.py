"""Generated input for every validator and parser, and for every JSON endpoint: nothing
ever raises an unexpected exception or answers 500."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_worker.understanding.emails import parse_spoken_email
from agent_worker.understanding.experience import parse_experience_years
from interviews.models import MAX_EXPERIENCE_YEARS
from interviews.services import candidates
from interviews.services.candidates import MAX_NAME_LENGTH
from interviews.web import ratelimit
from tests.hardening.conftest import joined_client
from tests.web.test_webhook import signature

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WEB_FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.binary(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
emailish = st.one_of(
    st.text(),
    st.emails().map(str),
    st.builds(
        lambda user, host, tld: f"{user} at {host} dot {tld}",
        st.text(min_size=1, max_size=12),
        st.text(min_size=1, max_size=12),
        st.sampled_from(["com", "org", "co dot uk", ""]),
    ),
)


# --- Validators and parsers ----------------------------------------------------------


@FUZZ
@given(email=st.one_of(anything, emailish))
def test_the_email_validator_accepts_only_normalised_valid_addresses(email):
    try:
        cleaned = candidates._clean_email(email)
    except ValidationError as error:
        assert error.code in ("email_missing", "email_invalid")
        return
    assert cleaned == cleaned.strip().lower()
    validate_email(cleaned)


@FUZZ
@given(name=anything)
def test_the_name_validator_returns_a_trimmed_bounded_name_or_refuses(name):
    try:
        cleaned = candidates._clean_name(name)
    except ValidationError as error:
        assert error.code in ("name_missing", "name_too_long")
        return
    assert cleaned and cleaned == " ".join(cleaned.split())
    assert len(cleaned) <= MAX_NAME_LENGTH


@FUZZ
@given(years=anything)
def test_the_experience_validator_accepts_only_whole_years_in_range_or_unknown(years):
    try:
        cleaned = candidates._clean_experience(years)
    except ValidationError as error:
        assert error.code in ("experience_invalid", "experience_out_of_range")
        return
    if years is None:  # not given: stored unknown and flagged for the recruiter
        assert cleaned is None
        return
    assert type(cleaned) is int and 0 <= cleaned <= MAX_EXPERIENCE_YEARS


@FUZZ
@given(said=st.one_of(emailish, st.text(alphabet=" atdo.comx@_-+", max_size=60)))
def test_a_spoken_email_parses_to_a_valid_address_or_nothing(said):
    parsed = parse_spoken_email(said)
    if parsed is not None:
        validate_email(parsed)
        assert parsed == parsed.lower()


@FUZZ
@given(
    said=st.one_of(
        anything,
        st.lists(st.sampled_from(["one ", "twenty ", "five ", "years ", "a ", "-", "1"])).map(
            "".join
        ),
    )
)
def test_spoken_experience_parses_to_whole_years_in_range_or_nothing(said):
    parsed = parse_experience_years(said)
    assert parsed is None or (type(parsed) is int and 0 <= parsed <= MAX_EXPERIENCE_YEARS)


# --- The JSON endpoints ---------------------------------------------------------------


@pytest.fixture
def no_limits(monkeypatch):
    monkeypatch.setattr(ratelimit, "TOKEN_LIMIT_PER_ADDRESS", (10**9, 60))
    monkeypatch.setattr(ratelimit, "TOKEN_LIMIT_PER_INTERVIEW", (10**9, 60))


@pytest.fixture
def browser(invited, no_limits) -> Client:
    client = joined_client(invited.invite_secret)
    return client


def body_strategy():
    known = st.fixed_dictionaries(
        {},
        optional={
            "choice": st.one_of(st.sampled_from(["consent", "accommodation"]), json_values),
            "consent": json_values,
            "note": st.one_of(st.text(max_size=3000), json_values),
            "room_name": json_values,
            "participant_identity": json_values,
            "room_config": json_values,
        },
    )
    return st.one_of(
        known.map(json.dumps),
        json_values.map(json.dumps),
        st.text(max_size=200),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
        st.just("x" * 20_000),
    )


@pytest.mark.django_db
@WEB_FUZZ
@given(
    path=st.sampled_from(["/interview/consent", "/interview/token", "/interview/status"]),
    method=st.sampled_from(["post", "get", "put", "delete"]),
    body=body_strategy(),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form"]),
)
def test_the_candidates_json_endpoints_never_answer_500(browser, path, method, body, content_type):
    response = browser.generic(
        method.upper(), path, data=body.encode("utf-8", "surrogatepass"), content_type=content_type
    )
    assert response.status_code < 500
    if response["Content-Type"] == "application/json" and response.status_code >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message"}


@pytest.mark.django_db
@WEB_FUZZ
@given(body=st.one_of(st.text(max_size=500), json_values.map(json.dumps)), signed=st.booleans())
def test_the_webhook_never_answers_500(fresh_cache, body, signed):
    headers = {"HTTP_AUTHORIZATION": signature(body) if signed else "garbage"}
    response = Client().post(
        "/livekit/webhook", data=body, content_type="application/webhook+json", **headers
    )
    assert response.status_code in (200, 400, 401)
    assert "error" in response.json() or "outcome" in response.json()


@pytest.mark.django_db
@WEB_FUZZ
@given(
    event=st.one_of(st.sampled_from(["participant_joined", "room_finished"]), st.text()),
    event_id=st.text(max_size=300),
    room=st.text(max_size=300),
    identity=st.text(max_size=300),
    created_at=st.integers(min_value=-(2**40), max_value=2**40),
)
def test_signed_webhook_events_with_odd_fields_never_answer_500(
    fresh_cache, event, event_id, room, identity, created_at
):
    body = json.dumps(
        {
            "event": event,
            "id": event_id,
            "createdAt": str(created_at),
            "room": {"name": room},
            "participant": {"identity": identity},
        }
    )
    response = Client().post(
        "/livekit/webhook",
        data=body,
        content_type="application/webhook+json",
        HTTP_AUTHORIZATION=signature(body),
    )
    assert response.status_code in (200, 400)


@pytest.mark.django_db
@WEB_FUZZ
@given(segment=st.text(min_size=1, max_size=300).filter(lambda s: "/" not in s))
def test_links_with_any_text_answer_404_not_500(fresh_cache, segment):
    client = Client()
    for path in (f"/interview/{segment}/", f"/apply/{segment}/"):
        response = client.get(path)
        assert response.status_code in (404, 410, 301, 302), (path, response.status_code)
