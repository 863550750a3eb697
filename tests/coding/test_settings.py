"""The coding round's settings: read from the environment, refused when out of range."""

from pathlib import Path

import pytest

from tests.test_settings import django_check

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("CODING_SANDBOX_MAX_CONCURRENT", "CODING_RUN_TIME_LIMIT_SECONDS", "CODING_MEMORY_LIMIT_MB")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CODING_SANDBOX_MAX_CONCURRENT", "0", "must be 1 or more"),
        ("CODING_RUN_TIME_LIMIT_SECONDS", "0.5", "must be between 1 and 120"),
        ("CODING_MEMORY_LIMIT_MB", "200", "must be 320 or more"),
    ],
)
def test_a_value_out_of_range_is_refused_at_start(name, value, message):
    result = django_check(DEBUG="True", **{name: value})
    assert result.returncode != 0
    assert f"{name} {message}" in result.stderr


def test_empty_values_mean_the_defaults():
    result = django_check(DEBUG="True", **dict.fromkeys(NAMES, ""))
    assert result.returncode == 0, result.stderr


def test_every_setting_is_in_the_example_environment():
    example = (ROOT / ".env.example").read_text()
    for name in NAMES:
        assert f"\n{name}=" in example
