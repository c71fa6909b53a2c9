import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _interface_in_english_again():
    """A request under /ar/ leaves Arabic active in the test's thread (LocaleMiddleware
    activates it and nothing deactivates it): a later reverse() would give /ar/ addresses."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
