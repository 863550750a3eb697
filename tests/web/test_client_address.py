"""The client address: the right-most X-Forwarded-For hop a trusted proxy added."""

import pytest
from django.test import Client

from interviews.models import Interview
from interviews.web.client import client_ip
from tests.factories import PositionFactory

PROXIES = ["127.0.0.1", "10.1.0.0/16"]


def test_behind_a_trusted_proxy_the_client_is_the_hop_it_appended():
    assert client_ip("127.0.0.1", "203.0.113.7, 10.0.0.5", PROXIES) == "10.0.0.5"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    forwarded = "203.0.113.7, 198.51.100.4, 10.1.2.3"
    assert client_ip("127.0.0.1", forwarded, PROXIES) == "198.51.100.4"


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client_whatever_it_wrote():
    assert client_ip("198.51.100.4", "10.0.0.5", PROXIES) == "198.51.100.4"
    assert client_ip("127.0.0.1", "10.0.0.5", []) == "127.0.0.1"


def test_a_hop_that_is_no_address_makes_the_client_unknown():
    assert client_ip("127.0.0.1", "10.0.0.5, not-an-address", PROXIES) == "unknown"


def test_ports_and_brackets_written_by_proxies_are_understood():
    assert client_ip("127.0.0.1", "[2001:db8::1]:443", PROXIES) == "2001:db8::1"
    assert client_ip("127.0.0.1", "203.0.113.7:5000", PROXIES) == "203.0.113.7"


@pytest.mark.django_db
def test_an_open_link_interview_records_the_client_behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = PROXIES
    PositionFactory(slug="open-role")
    browser = Client(
        REMOTE_ADDR="127.0.0.1", headers={"x-forwarded-for": "203.0.113.1, 198.51.100.4"}
    )
    browser.get("/apply/open-role/")

    response = browser.post(
        "/interview/consent", {"choice": "consent", "consent": True}, "application/json"
    )

    assert response.status_code == 200
    assert Interview.objects.get().client_network == "198.51.100.4"
