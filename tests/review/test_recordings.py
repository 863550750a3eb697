"""Interview recordings: parts joined in one file, the report's player and the transcript
lines' places in the audio, the audio behind its own permission (ranges for seeking), and
the candidate's rights (erasure, export) and retention over the files."""

import io
import json
import zipfile
from datetime import timedelta

import av
import numpy as np
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from interviews.admin.pages import REPORT_PERMISSIONS
from interviews.models import Interview, NoticeConsent, NoticeVersion, Recording
from interviews.models.recordings import recordings_storage
from interviews.selectors.notices import (
    current_notice,
    notice_mentions_recording,
    notice_render,
)
from interviews.services.erasure import candidate_erase
from interviews.services.recordings import recording_decide, recording_fail
from tests.factories import PositionFactory
from tests.review.conftest import completed_interview
from tests.review.recording_files import record_part, recordings_in_memory  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("recordings_in_memory")]


def recorded(interview: Interview, tmp_path, *parts: tuple[float, float]) -> Recording:
    """Record `parts` ((seconds after the first transcript line, length in seconds)) of
    the interview, the candidate's channel a tone that rises with each part."""
    first = interview.transcript.order_by("sequence").first().spoken_at
    recording = None
    for number, (since, seconds) in enumerate(parts):
        recording = record_part(
            interview,
            tmp_path,
            started_at=first + timedelta(seconds=since),
            seconds=seconds,
            left_hz=440.0 * (number + 1),
        )
    assert recording is not None
    return recording


def left_channel_pitch(recording: Recording, at: float) -> float:
    with recordings_storage().open(recording.file.name, "rb") as stored:
        with av.open(stored) as container:
            samples = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    window = samples[0, int(at * 48_000) : int(at * 48_000) + 4_800]
    return float(np.argmax(np.abs(np.fft.rfft(window))) * 48_000 / len(window))


def report_reader(django_user_model, *, can_listen: bool):
    user = django_user_model.objects.create_user("reviewer", "rv@example.com", "pw", is_staff=True)
    codenames = [p.split(".")[1] for p in REPORT_PERMISSIONS]
    if can_listen:
        codenames.append("view_recording")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="interviews", codename__in=codenames)
    )
    return user


def test_a_resumed_interview_adds_its_parts_in_order_to_one_file(tmp_path):
    interview = completed_interview()

    recording = recorded(interview, tmp_path, (0, 2.0), (10, 3.0))

    assert recording.status == Recording.Status.RECORDED
    assert recording.duration_seconds == pytest.approx(5.0, abs=0.1)
    assert [part["duration"] for part in recording.parts] == pytest.approx([2.0, 3.0], abs=0.05)
    assert recordings_storage().exists(recording.file.name)
    assert recording.size_bytes == recordings_storage().size(recording.file.name) > 0
    # The first part, then the second.
    assert left_channel_pitch(recording, 1.0) == pytest.approx(440, abs=20)
    assert left_channel_pitch(recording, 3.5) == pytest.approx(880, abs=20)


def test_a_moment_of_the_interview_maps_to_its_place_in_the_file(tmp_path):
    interview = completed_interview()
    recording = recorded(interview, tmp_path, (0, 2.0), (10, 3.0))
    first = interview.transcript.order_by("sequence").first().spoken_at

    assert recording.offset_of(first + timedelta(seconds=1.5)) == pytest.approx(1.5)
    assert recording.offset_of(first + timedelta(seconds=11)) == pytest.approx(3.0, abs=0.05)
    # Between the parts nothing was recorded.
    assert recording.offset_of(first + timedelta(seconds=6)) is None


def test_the_report_plays_the_recording_beside_the_transcript(recruiter_client, tmp_path):
    interview = completed_interview()
    recorded(interview, tmp_path, (0, 4.0))

    response = recruiter_client.get(
        reverse("admin:interviews_interview_report", args=[interview.pk])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("admin:interviews_interview_recording", args=[interview.pk]) in page
    assert "interviews/recording_player.js" in page
    # The two first lines were said where the recording begins.
    assert page.count('<tr data-at="0.00">') == 2


def test_the_report_says_why_the_recording_is_missing(recruiter_client):
    interview = completed_interview()
    recording_fail(
        interview=interview, reason="A part of the interview was not recorded (OSError)."
    )

    response = recruiter_client.get(
        reverse("admin:interviews_interview_report", args=[interview.pk])
    )

    page = response.content.decode()
    assert 'data-recording="failed"' in page
    assert "A part of the interview was not recorded (OSError)." in page
    assert "<audio" not in page


def test_the_audio_needs_its_own_permission(client, django_user_model, tmp_path):
    interview = completed_interview()
    recorded(interview, tmp_path, (0, 2.0))
    url = reverse("admin:interviews_interview_recording", args=[interview.pk])
    client.force_login(report_reader(django_user_model, can_listen=False))

    refused = client.get(url)
    report = client.get(reverse("admin:interviews_interview_report", args=[interview.pk]))

    assert refused.status_code == 403
    assert "<audio" not in report.content.decode()
    assert 'data-recording="not-allowed"' in report.content.decode()


def test_the_audio_is_served_whole_or_by_range(client, django_user_model, tmp_path):
    interview = completed_interview()
    recording = recorded(interview, tmp_path, (0, 2.0))
    url = reverse("admin:interviews_interview_recording", args=[interview.pk])
    client.force_login(report_reader(django_user_model, can_listen=True))
    size = recording.size_bytes

    whole = client.get(url)
    body = b"".join(whole.streaming_content)
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    part_body = b"".join(part.streaming_content)
    tail = client.get(url, HTTP_RANGE="bytes=-50")
    tail_body = b"".join(tail.streaming_content)
    beyond = client.get(url, HTTP_RANGE=f"bytes={size}-")

    assert (whole.status_code, whole["Accept-Ranges"], whole["Content-Type"]) == (
        200,
        "bytes",
        "audio/ogg",
    )
    assert body.startswith(b"OggS") and len(body) == size
    assert "no-store" in whole["Cache-Control"]
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{size}"
    assert part_body == body[100:200]
    assert tail.status_code == 206 and tail_body == body[-50:]
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"


def test_an_interview_without_a_recording_has_no_audio(recruiter_client):
    interview = completed_interview()

    response = recruiter_client.get(
        reverse("admin:interviews_interview_recording", args=[interview.pk])
    )

    assert response.status_code == 404


def test_erasing_the_candidate_removes_the_file(
    recruiter, tmp_path, django_capture_on_commit_callbacks
):
    interview = completed_interview()
    name = recorded(interview, tmp_path, (0, 2.0)).file.name

    with django_capture_on_commit_callbacks(execute=True):
        record = candidate_erase(candidate=interview.candidate, erased_by=recruiter)

    assert not recordings_storage().exists(name)
    assert not Recording.objects.exists()
    assert (record.counts["recordings"], record.counts["recording_files"]) == (1, 1)


def test_purge_expired_removes_recordings_past_their_retention(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.RECORDING_RETENTION_DAYS = 30
    old, recent = completed_interview(), completed_interview(email="new@example.com")
    Interview.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    old_name = recorded(old, tmp_path, (0, 2.0)).file.name
    recent_name = recorded(recent, tmp_path, (0, 2.0)).file.name

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired", stdout=io.StringIO())

    assert not recordings_storage().exists(old_name)
    assert recordings_storage().exists(recent_name)
    purged = Recording.objects.get(interview=old)
    assert (purged.status, purged.file.name) == (Recording.Status.DELETED, "")
    # The interview itself stays for DATA_RETENTION_DAYS.
    assert Interview.objects.filter(pk=old.pk).exists()


def test_the_export_includes_the_recording(recruiter_client, tmp_path):
    interview = completed_interview()
    recording = recorded(interview, tmp_path, (0, 2.0))

    response = recruiter_client.get(
        reverse("admin:interviews_candidate_export", args=[interview.candidate.pk])
    )

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("candidate.json"))
    exported = data["interviews"][0]["recording"]
    assert response["Content-Type"] == "application/zip"
    assert exported["status"] == "recorded"
    with recordings_storage().open(recording.file.name, "rb") as stored:
        assert archive.read(exported["file"]) == stored.read()


def agreed(interview: Interview, notice: NoticeVersion) -> Interview:
    NoticeConsent.objects.create(interview=interview, notice=notice)
    return Interview.objects.select_related("position").get(pk=interview.pk)


def test_an_interview_is_recorded_when_the_candidate_agreed_to_a_notice_that_says_so():
    interview = agreed(completed_interview(), current_notice())

    assert recording_decide(interview=interview) is True


def test_an_interview_whose_notice_does_not_say_so_is_not_recorded():
    interview = agreed(completed_interview(), NoticeVersion.objects.get(version=2))

    assert recording_decide(interview=interview) is False
    assert interview.recording.status == Recording.Status.NOT_RECORDED


def test_a_candidate_who_asked_not_to_be_recorded_is_not_recorded():
    interview = agreed(completed_interview(), current_notice())
    Interview.objects.filter(pk=interview.pk).update(recording_declined_at=timezone.now())
    interview.refresh_from_db()

    assert recording_decide(interview=interview) is False
    assert interview.recording.status == Recording.Status.DECLINED


def test_a_position_that_does_not_record_keeps_nothing():
    interview = agreed(completed_interview(), current_notice())
    interview.position.records_interviews = False
    interview.position.save()

    assert recording_decide(interview=interview) is False
    assert not Recording.objects.exists()


def test_the_notice_says_the_interview_is_recorded_where_the_position_records():
    recording_position = PositionFactory(slug="records")
    silent_position = PositionFactory(slug="silent", records_interviews=False)
    version_2 = NoticeVersion.objects.get(version=2)

    def points(position, notice=None):
        return notice_render(
            notice=notice or current_notice(),
            mode="structured",
            position=position,
            candidate_known=True,
        ).points

    assert current_notice().version == 3 and notice_mentions_recording(current_notice())
    assert any(p.startswith("**The interview is recorded:**") for p in points(recording_position))
    assert not any("not recorded" in p for p in points(recording_position))
    # Where nothing is recorded, the notice reads as it did, the audio's use in a point of
    # its own.
    unrecorded = points(silent_position)
    assert not any("The interview is recorded" in p for p in unrecorded)
    assert "The audio is used for the conversation only: it is not recorded." in unrecorded
    assert len(unrecorded) == len(points(silent_position, version_2)) + 1
