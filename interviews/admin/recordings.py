"""The interview's recording, streamed to the report's player: only to staff with the
`view_recording` permission, never from a public address, in byte ranges so the player
can seek (206 Partial Content)."""

import re
from collections.abc import Iterator
from typing import IO

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse

from interviews.admin.pages import (
    TRANSCRIPT_PERMISSIONS,
    ExtraPage,
    ExtraPagesAdmin,
    no_store,
    require_permissions,
)
from interviews.models import Interview
from interviews.models.recordings import recordings_storage
from interviews.selectors.recordings import recording_of

RECORDING_PERMISSIONS = (*TRANSCRIPT_PERMISSIONS, "interviews.view_recording")
CHUNK_BYTES = 64 * 1024
SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _chunks(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK_BYTES, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte a `Range: bytes=...` header asks for, or None when it asks
    for nothing this file holds. Several ranges are answered with the whole file."""
    match = SINGLE_RANGE.match(header.strip())
    if match is None:
        raise ValueError("not a single byte range")
    first, last = match.groups()
    if not first:  # the last N bytes
        if not last or int(last) == 0:
            return None
        return max(0, size - int(last)), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return None
    return start, end


def recording_audio(model_admin: ExtraPagesAdmin, request: HttpRequest, object_id: int):
    interview = model_admin.viewable_object(request, object_id, Interview)
    require_permissions(request, RECORDING_PERMISSIONS)
    recording = recording_of(interview)
    if recording is None or not recording.file:
        raise Http404("This interview has no recording.")
    storage, name = recordings_storage(), str(recording.file.name)
    size = storage.size(name)
    span: tuple[int, int] | None = (0, size - 1)
    partial = False
    if header := request.headers.get("Range", ""):
        try:
            span = byte_range(header, size)
            partial = True
        except ValueError:
            partial = False
    if span is None:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return no_store(response)
    start, end = span
    handle = storage.open(name, "rb")
    streamed = StreamingHttpResponse(
        _chunks(handle, start, end - start + 1),
        status=206 if partial else 200,
        content_type=recording.content_type,
    )
    streamed["Content-Length"] = str(end - start + 1)
    streamed["Accept-Ranges"] = "bytes"
    if partial:
        streamed["Content-Range"] = f"bytes {start}-{end}/{size}"
    streamed["Content-Disposition"] = f'inline; filename="interview-{interview.public_id}.ogg"'
    streamed["Cache-Control"] = "no-store"
    return streamed


PAGES = (ExtraPage("<int:object_id>/recording.ogg", recording_audio, "recording"),)
