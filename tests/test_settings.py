import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_SECRETS = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-only-0123456789",
    "LIVEKIT_API_KEY": "APIproduction",
    "LIVEKIT_API_SECRET": "a-long-random-livekit-secret-for-this-test-0123456789",
}


def django_check(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_SECRETS}
    clean.pop("DEBUG", None)
    clean.pop("INTERVIEW_AI", None)
    clean.pop("OPENAI_API_KEY", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "ENV_FILE": os.devnull, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_runs_on_a_development_machine_with_only_debug_set():
    result = django_check(DEBUG="True")
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_when_debug_is_not_set():
    """An unset DEBUG once meant True, with the public development secrets."""
    result = django_check(**PRODUCTION_SECRETS)
    assert result.returncode != 0
    assert "DEBUG is not set" in result.stderr


def test_production_refuses_a_livekit_secret_shorter_than_32_characters():
    short = {**PRODUCTION_SECRETS, "LIVEKIT_API_SECRET": "only-thirty-one-characters-long"}
    result = django_check(DEBUG="False", ALLOWED_HOSTS="hiring.example.com", **short)
    assert result.returncode != 0
    assert "LIVEKIT_API_SECRET is shorter than 32 characters" in result.stderr


@pytest.mark.parametrize("missing", sorted(PRODUCTION_SECRETS))
def test_it_refuses_production_with_a_missing_secret(missing):
    env = {k: v for k, v in PRODUCTION_SECRETS.items() if k != missing}
    result = django_check(DEBUG="False", **env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_it_starts_in_production_with_every_secret():
    result = django_check(DEBUG="False", ALLOWED_HOSTS="hiring.example.com", **PRODUCTION_SECRETS)
    assert result.returncode == 0, result.stderr


def test_it_refuses_an_unknown_interviewer_mode():
    result = django_check(DEBUG="True", INTERVIEW_AI="telepathy")
    assert result.returncode != 0
    assert "INTERVIEW_AI must be one of realtime, pipeline, structured" in result.stderr


def test_it_refuses_to_keep_the_operation_log_for_less_than_six_months():
    result = django_check(DEBUG="True", OPERATION_LOG_RETENTION_DAYS="90")
    assert result.returncode != 0
    assert "OPERATION_LOG_RETENTION_DAYS must be at least 183" in result.stderr
    assert django_check(DEBUG="True", OPERATION_LOG_RETENTION_DAYS="183").returncode == 0


def test_the_structured_interviewer_is_the_default_without_a_key():
    result = subprocess.run(
        [sys.executable, "-c", "from hiring import settings; print(settings.INTERVIEW_AI)"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "INTERVIEW_AI")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "structured", result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "INTERVIEW_AI")},
            "ENV_FILE": os.devnull,
            "DEBUG": "False",
            "ALLOWED_HOSTS": "hiring.example.com",
            "INTERVIEW_AI": "structured",
            **PRODUCTION_SECRETS,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_a_closing_silence_of_no_time():
    result = django_check(DEBUG="True", ANYTHING_ELSE_SILENCE_SECONDS="0")
    assert result.returncode != 0
    assert "ANYTHING_ELSE_SILENCE_SECONDS must be more than 0" in result.stderr
