import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """Logging in activates the member's language for the rest of that request's thread;
    don't let it leak into the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
