import pytest

from techbridge.core.permissions import actor_for


@pytest.fixture
def staff_actor(staff):
    return actor_for(staff)
