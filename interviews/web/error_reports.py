"""What Django's error reports (the DEBUG page, error mail) may show."""

import re

from django.views.debug import SafeExceptionReporterFilter


class CredentialsHiddenFilter(SafeExceptionReporterFilter):
    """Django's filter, also hiding settings and environment variables whose value is a
    URL that may carry a password (DATABASE_URL, REDIS_URL) or a mail login."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|REDIS_URL|DSN|"
        "EMAIL_HOST_USER",
        flags=re.IGNORECASE,
    )
