"""Sending a personal link again: a fresh one, since only the old link's hash is stored."""

from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from interviews.models import Interview
from interviews.services import emails, invites


@dataclass(frozen=True)
class Invitation:
    interview: Interview
    invite_secret: str

    @property
    def sent(self) -> bool:
        return not self.interview.invitation_error


def interview_resend_invitation(
    *, interview: Interview, invite_ttl: timedelta | None = None
) -> Invitation:
    """Issue a new link for a personal interview (the old one stops working) and email it;
    whether it went out is on the interview (`invitation_error`)."""
    new = invites.interview_reissue_invite(interview=interview, invite_ttl=invite_ttl)
    # A reissued personal link always comes with its secret.
    secret = cast(str, new.invite_secret)
    sent = emails.interview_send_invitation(interview=new.interview, secret=secret)
    return Invitation(interview=sent, invite_secret=secret)
