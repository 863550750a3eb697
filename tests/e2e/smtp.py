"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests that
cross the SMTP boundary: the web app and the agent send to it like to any mail server."""

import email
import re
import threading
import time
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from devtools.livekit_server import free_port


class Mailbox:
    def __init__(self) -> None:
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self._messages.append(message)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def wait_for(self, *, to: str, subject_contains: str = "", after: int = 0, timeout=30.0):
        """The first message to `to` (among those received after the first `after`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages()[after:]:
                if to in str(message["To"]) and subject_contains in str(message["Subject"]):
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} arrived; received: {self.messages()}")


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def code_in(message: EmailMessage) -> str:
    return re.search(r"\b(\d{6})\b", body_of(message)).group(1)


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpServer":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    def settings_env(self) -> dict[str, str]:
        """How a process (the agent) sends to this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "False",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def configure(self, settings) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
