"""seed_scale's reform step: the country's branches move to the new communes in bulk, as the service would."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from branches.divisions import OLD_WORLD_LAST_DAY, REFORM_DAY
from branches.models import Branch, BranchAttachment, Commune, CommuneSuccession
from branches.selectors import whole_successors
from demo.scale.branches import ScaleOptions, branches_seed, branches_step
from demo.scale.reform import reform_step

pytestmark = pytest.mark.django_db


def test_branches_of_whole_merged_communes_move_and_split_ones_wait():
    call_command("load_divisions", "--province", "84", stdout=StringIO())
    branches_seed(
        per_commune=3, seed=1, batch_size=40, communes=Commune.objects.filter(ended_on=OLD_WORLD_LAST_DAY)
    )
    before = dict(Branch.objects.values_list("pk", "commune"))
    successor_of = whole_successors(on=REFORM_DAY)
    split = set(CommuneSuccession.objects.filter(partly=True).values_list("predecessor", flat=True))
    messages = []

    reform_step(options=ScaleOptions(password="thu-mat-khau"), log=messages.append)

    for branch in Branch.objects.filter(is_active=True):
        old = before[branch.pk]
        if old in successor_of:
            assert branch.commune_id == successor_of[old]
            assert BranchAttachment.objects.get(branch=branch).commune_id == old
        else:
            assert old in split and branch.commune_id == old
    # Two merged communes both had an "Ấp 1": the newcomer carries its old commune's name.
    assert Branch.objects.filter(commune__ended_on__isnull=True, name__endswith=")").exists()
    assert "re-attached" in messages[0]

    attachments = BranchAttachment.objects.count()
    reform_step(options=ScaleOptions(password="thu-mat-khau"), log=messages.append)
    assert BranchAttachment.objects.count() == attachments

    # A seed resumed after the reform finds no old commune empty: their branches moved, they are not missing.
    branches = Branch.objects.count()
    branches_step(options=ScaleOptions(password="thu-mat-khau", per_commune=3), log=messages.append)
    assert Branch.objects.count() == branches

    officer = get_user_model().objects.get(username="bench.xa")
    assert officer.commune.origins.filter(predecessor__name="Xã Hiếu Tử").exists()
    staff = get_user_model().objects.get(username="bench.vinhlong")
    assert (staff.province.code, staff.province.ended_on) == ("86", None)
