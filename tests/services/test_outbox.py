import os

import pytest
from django.core.mail import send_mail
from django.test import Client

from interviews.web.outbox import newest_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_mail(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def test_staff_read_the_mail_sent_in_development(file_mail, admin_client):
    send_mail("Your code", "Your code is 481203.", "hiring@localhost", ["a@example.com"])
    send_mail("Your interview", "Open this link.", "hiring@localhost", ["b@example.com"])

    page = admin_client.get("/admin/outbox/").content.decode()

    assert "481203" in page and "a@example.com" in page
    assert page.index("Your interview") < page.index("Your code")  # newest first


def test_the_outbox_is_for_staff_only(file_mail):
    response = Client().get("/admin/outbox/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_there_is_no_outbox_in_production(file_mail, settings, admin_client):
    settings.DEBUG = False
    assert admin_client.get("/admin/outbox/").status_code == 404


def test_the_newest_files_are_found_by_the_second_in_their_names_then_by_time(tmp_path):
    def write(name: str, mtime_ns: int) -> None:
        path = tmp_path / name
        path.write_text("message")
        os.utime(path, ns=(mtime_ns, mtime_ns))

    # Written in this order; within one second the ids say nothing of the order.
    write("20261207-090000-9.log", 1)
    write("20261207-090001-7.log", 2)
    write("20261207-090001-3.log", 3)
    write("20261207-090002-1.log", 4)
    write("not-a-message.txt", 5)

    assert [path.name for path in newest_files(tmp_path, 3)] == [
        "20261207-090002-1.log",
        "20261207-090001-3.log",
        "20261207-090001-7.log",
    ]
    (tmp_path / "empty").mkdir()
    assert newest_files(tmp_path / "empty", 3) == []
