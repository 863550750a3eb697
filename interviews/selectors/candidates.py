from interviews.models import Candidate


def normalise_email(email: str) -> str:
    return email.strip().lower()


def candidate_by_email(*, email: str) -> Candidate | None:
    return Candidate.objects.select_related("position").filter(email=normalise_email(email)).first()
