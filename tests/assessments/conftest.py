import pytest

from assessments.services import framework_criteria
from tests.conftest import framework_2026


@pytest.fixture
def framework(db):
    """The 2026 framework seeded by migration: three groups, eleven criteria, scale 1–5."""
    return framework_2026()


@pytest.fixture
def criteria(framework):
    return framework_criteria(framework)


def all_scores(criteria, value=4, **overrides) -> dict:
    """criterion id → score; overrides by position: all_scores(criteria, 3, c0=5) sets the first to 5."""
    values = {c.pk: value for c in criteria}
    for key, override in overrides.items():
        values[criteria[int(key[1:])].pk] = override
    return values
