"""What Django's error reports (the DEBUG page, error mail) may show."""

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

# The password of a URL: "redis://:pw@host", "postgres://user:pw@host".
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.\-]*://[^:/@\s]*:)[^@\s]+(?P<at>@)", re.I)


class CredentialsHiddenFilter(SafeExceptionReporterFilter):
    """Django's filter, also hiding settings and environment variables whose value is a
    URL that may carry a password (DATABASE_URL, REDIS_URL) or a mail login, and the
    password of any URL inside another setting (CACHES, CHANNEL_LAYERS)."""

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|REDIS_URL|DSN|"
        "EMAIL_HOST_USER",
        flags=re.IGNORECASE,
    )

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)
        if type(cleansed) is str:  # not a lazy object that passes for one
            return _URL_PASSWORD.sub(rf"\g<head>{self.cleansed_substitute}\g<at>", cleansed)
        return cleansed
