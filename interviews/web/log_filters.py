"""What the server's log lines may not carry: an invite secret in a path.

The web server logs every request with its path ("GET /interview/<invite>/ 302"), and an
invite path holds the link's secret: anyone reading the log could open the interview.
"""

import logging
import re

# /interview/<invite>/, not the join page's own endpoints.
# The endpoints' names are matched as whole path segments: an invite secret may start
# with one of them ("coding-x7Q...").
_ENDPOINTS = r"(?:consent|token|status|interviewer|coding)(?=[/\s?#\"']|$)"
_INVITE_IN_PATH = re.compile(r"(/interview/)(?!" + _ENDPOINTS + r")[^/\s?#\"']+")


def redact_invites(text: str) -> str:
    return _INVITE_IN_PATH.sub(r"\1[invite]", text)


class InviteSecretsRedacted(logging.Filter):
    """On a handler: every record it writes has invite secrets replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/interview/" in message:
            redacted = redact_invites(message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True
