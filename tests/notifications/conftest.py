import pytest

from forum import actions
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

BODY = "The router drops the connection every evening around eight o'clock."


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a write and its after-commit delivery (the immediate task backend)."""

    def run_(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run_


@pytest.fixture
def asked(run):
    """A question asked through the action, so its asker follows it."""

    def ask(asker=None, **kwargs):
        kwargs.setdefault("category", CategoryFactory())
        return run(
            actions.ask_question,
            asker or UserFactory(),
            title="Wi-Fi keeps dropping in the evening",
            body=BODY,
            **kwargs,
        )

    return ask


__all__ = ["BODY", "QuestionFactory"]


class _Inbox:
    """What the SMTP server in the test process received, parsed."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1, with Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_down(settings):
    """The SMTP backend pointed at a port nothing listens on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
