import pytest

from organizations.models import PressList


@pytest.fixture
def desk() -> PressList:
    """A press list, empty: tests add the journalists they need."""
    return PressList.objects.create(name="US national desks")
