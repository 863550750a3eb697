"""How a tool reaches the database: off the event loop, retried, answered in JSON.

Every tool result is a JSON string (livekit-agents would send a dict as its Python repr).
A ValidationError becomes `{"ok": false, "code": ..., "error": ...}` whose error text
tells the model what to ask or say; a DatabaseError is retried a few times (each service
is one transaction, so a failed attempt wrote nothing) and then reported as a failure the
model apologises for. Exceptions never escape: livekit-agents would hide them behind "An
internal error occurred", and the model could not act on that.
"""

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections

from interviews.errors import ErrorCode

logger = logging.getLogger(__name__)

DATABASE_ATTEMPTS = 3
RETRY_DELAY_SECONDS = 0.2

SAVE_FAILED_ERROR = (
    "The system could not save this just now. Apologise briefly to the candidate and "
    "continue the interview; do not repeat the failed step more than once."
)


def ok(**data: Any) -> str:
    return json.dumps({"ok": True, **data})


def refuse(error: str, *, code: str = "invalid", **data: Any) -> str:
    return json.dumps({"ok": False, "code": code, "error": error, **data})


def validation_error_result(error: ValidationError, **data: Any) -> str:
    message = error.messages[0] if error.messages else "That was not accepted."
    return refuse(message, code=getattr(error, "code", None) or "invalid", **data)


def _run_with_fresh_connection(work: Callable[[], str]) -> str:
    # After a database error the connection may be unusable; Django only drops such
    # connections between requests, and a job never has requests.
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block or connection.connection is None:
            continue
        if not connection.is_usable():
            connection.close()
    return work()


async def run_tool_work(work: Callable[[], str], *, tool: str, interview_id: str) -> str:
    """Run `work` (sync ORM code returning a JSON string) in Django's sync thread."""
    for attempt in range(1, DATABASE_ATTEMPTS + 1):
        try:
            if attempt == 1:
                return await sync_to_async(work)()
            return await sync_to_async(_run_with_fresh_connection)(work)
        except ValidationError as error:
            return validation_error_result(error)
        except DatabaseError:
            logger.warning(
                "database error in an interviewer tool",
                extra={"tool": tool, "attempt": attempt, "interview": interview_id},
                exc_info=True,
            )
            if attempt < DATABASE_ATTEMPTS:
                await asyncio.sleep(RETRY_DELAY_SECONDS * attempt)
    logger.error(
        "interviewer tool gave up after database errors",
        extra={"tool": tool, "interview": interview_id},
    )
    return refuse(SAVE_FAILED_ERROR, code=ErrorCode.SAVE_FAILED)
