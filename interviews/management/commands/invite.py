"""Invite a candidate by email: creates the candidate if new, the interview, and sends
the personal link with the notice."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from interviews.models import Position
from interviews.services.candidate_invites import candidate_invite
from interviews.services.emails import interview_send_invitation


class Command(BaseCommand):
    help = (
        "Create an interview for the candidate with this email (creating the candidate if "
        "new) and email them the personal invite link."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--position", required=True, help="The position's slug.")
        parser.add_argument("--email", required=True, help="The candidate's email address.")
        parser.add_argument("--name", help="The candidate's full name (needed when new).")
        parser.add_argument(
            "--experience",
            type=int,
            default=None,
            help="Whole years of experience (needed when new).",
        )

    def handle(self, *args, position: str, email: str, name, experience, **options) -> None:
        chosen = Position.objects.filter(slug=position).first()
        if chosen is None:
            raise CommandError(f"No position has the slug {position!r}.")
        try:
            invited = candidate_invite(
                email=email, name=name or "", position=chosen, experience_years=experience
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        interview = interview_send_invitation(
            interview=invited.new.interview, secret=invited.new.personal_secret
        )
        if interview.invitation_error:
            raise CommandError(
                f"Interview {interview.public_id} was created, but the email could not be "
                f"sent ({interview.invitation_error}). Send it again from the admin (Send "
                "invitation email) once mail works."
            )
        until = f"{interview.invite_expires_at:%Y-%m-%d %H:%M %Z}"
        self.stdout.write(
            f"Invitation sent for interview {interview.public_id} ({chosen.title}); "
            f"the link works until {until}."
        )
