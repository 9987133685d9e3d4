"""A real SMTP server for the periodical's tests (aiosmtpd on 127.0.0.1, a free port) and a clean cache."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache


class SmtpSink:
    """Records every accepted message; refuses recipients containing "refuse4" (450) or "reject5" (550)."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "refuse4" in address:
            return "450 4.2.1 Mailbox busy, try later"
        if "reject5" in address:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for rcpts, m in self.messages if address in rcpts]

    def text_of(self, message) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    def links(self, message, pattern: str) -> list[str]:
        return re.findall(r"https?://\S*" + pattern + r"\S*", self.text_of(message))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    """Start a real SMTP server and point Django's SMTP backend at it."""
    sink = SmtpSink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    sink.port = port
    yield sink
    controller.stop()


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in the cache; each test starts without them."""
    cache.clear()
    yield
    cache.clear()
