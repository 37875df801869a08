"""core/scope.py's `mark_visible`: whether the user may open each object a page names, for the page to link
only those (a link outside the scope answers 404). One query for any mix of models; none for the
administrator."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Branch
from core.scope import mark_visible
from core.templatetags.portal import linkable


@pytest.mark.django_db
def test_one_query_marks_a_mix_of_models(world, tieu_can_officer, tieu_can, cang_long):
    tieu_can_branch, cang_long_branch = world["tieu_can"], world["cang_long"]
    objects = [tieu_can_branch, cang_long_branch, tieu_can, cang_long, tieu_can.province, None]
    tieu_can_officer.former_branch_ids()  # read once per request by whatever scopes first
    with CaptureQueriesContext(connection) as queries:
        mark_visible(objects, tieu_can_officer)
    assert len(queries) == 1
    assert (tieu_can_branch.visible, cang_long_branch.visible) == (True, False)
    assert (tieu_can.visible, cang_long.visible, tieu_can.province.visible) == (True, False, True)
    assert [linkable(o) for o in (tieu_can_branch, cang_long_branch)] == [True, False]


@pytest.mark.django_db
def test_the_administrator_opens_everything_without_a_query(world, administrator):
    branch = world["cang_long"]
    with CaptureQueriesContext(connection) as queries:
        mark_visible([branch, branch.commune], administrator)
        mark_visible([], administrator)
    assert len(queries) == 0 and branch.visible and branch.commune.visible


def test_an_object_no_view_marked_is_linked():
    assert linkable(Branch(name="Ấp Một"))
