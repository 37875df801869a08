"""`world_once` (tests/conftest.py): the world is built once for a module, and what one test changes — in
the database, in its objects, in the file storage — is gone before the next test. The two tests below run
in this order; the second checks that the first left nothing behind."""

import pytest
from django.core.files.storage import default_storage

from branches.models import Branch
from secretaries.services import person_remove_portrait

pytestmark = pytest.mark.usefixtures("world_once")

SEEN = {}


def test_one_test_changes_the_world(
    world, tieu_can_branch, tieu_can_person, django_capture_on_commit_callbacks
):
    # The fixtures of one test are one set of copies: the world's branch is the test's tieu_can_branch.
    assert world["tieu_can"] is tieu_can_branch and world["tieu_can_person"] is tieu_can_person
    SEEN["branch"] = tieu_can_branch.pk
    portrait = tieu_can_person.portrait.name
    SEEN["portrait"] = portrait

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the removal is committed
        person_remove_portrait(person=tieu_can_person)
    tieu_can_branch.name = "Ấp Đổi Tên"
    tieu_can_branch.save()

    assert not default_storage.exists(portrait)
    assert Branch.objects.get(pk=tieu_can_branch.pk).name == "Ấp Đổi Tên"


def test_the_next_test_finds_it_as_built(world, tieu_can_person):
    branch = world["tieu_can"]
    if SEEN:  # the first test ran in this process (not so when xdist sent it to another worker)
        assert branch.pk == SEEN["branch"]  # the same rows: built once, not again for this test
        assert tieu_can_person.portrait.name == SEEN["portrait"]
    assert branch.name == "Ấp Cây Gòn"
    assert Branch.objects.get(pk=branch.pk).name == "Ấp Cây Gòn"
    assert default_storage.exists(tieu_can_person.portrait.name)
    assert tieu_can_person.portrait.read()[:2] == b"\xff\xd8"  # still a JPEG
