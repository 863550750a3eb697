"""The back office's first account: the admin user `make dev` and `ensure_admin` create."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction


def admin_user_ensure(*, username: str = "admin") -> str | None:
    """Create the superuser `username` with a generated password and return the password
    (stored only hashed, so this is the one time it can be shown); None when the user
    already exists, whose password is left alone."""
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            return None
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email="", password=password)
        return password
