"""A small world across the 2025 reform for the work list and the hamlet re-arrangement tests.

Old Tỉnh Cũ (91), with Huyện Cũ, ended 30/06/2025 and went into Tỉnh Mới (92). Its Xã Chia (old) was split
between Xã Mới Một and Xã Mới Hai; Xã Nguyên went whole into Xã Mới Một. Xã Mới Ba has no predecessor.
Another province (93) has its own new commune with a split predecessor of its own."""

import datetime

from accounts.models import User
from branches.divisions import REFORM_DAY
from branches.models import Commune, CommuneSuccession, ProvinceSuccession
from branches.services import branches_reattach
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory

LAST_OLD_DAY = REFORM_DAY - datetime.timedelta(days=1)
NEW_COMMUNES = (("39201", "Xã Mới Một"), ("39202", "Xã Mới Hai"), ("39203", "Xã Mới Ba"))


def _new(code, name, province):
    commune = CommuneFactory(code=code, name=name, province=province, district=None)
    commune.began_on = REFORM_DAY
    commune.save()
    return commune


def build() -> dict:
    old = ProvinceFactory(code="91", name="Tỉnh Cũ", ended_on=LAST_OLD_DAY)
    district = DistrictFactory(code="911", name="Huyện Cũ", province=old, ended_on=LAST_OLD_DAY)
    split = CommuneFactory(code="39101", name="Xã Chia", district=district, ended_on=LAST_OLD_DAY)
    whole = CommuneFactory(code="39102", name="Xã Nguyên", district=district, ended_on=LAST_OLD_DAY)
    new = ProvinceFactory(code="92", name="Tỉnh Mới", began_on=REFORM_DAY)
    one, two, three = (_new(code, name, new) for code, name in NEW_COMMUNES)
    ProvinceSuccession.objects.create(predecessor=old, successor=new, on=REFORM_DAY)
    CommuneSuccession.objects.create(predecessor=split, successor=one, on=REFORM_DAY, partly=True)
    CommuneSuccession.objects.create(predecessor=split, successor=two, on=REFORM_DAY, partly=True)
    CommuneSuccession.objects.create(predecessor=whole, successor=one, on=REFORM_DAY)
    waiting = [
        BranchFactory(commune=split, name=name, member_count=count)
        for name, count in (("Ấp Đầu Giồng", 20), ("Ấp Cây Sộp", 30), ("Ấp Bến Đò", 25))
    ]
    moved = BranchFactory(commune=whole, name="Ấp Nguyên", member_count=15)
    other_old = ProvinceFactory(code="93", name="Tỉnh Khác", ended_on=LAST_OLD_DAY)
    other_district = DistrictFactory(code="931", name="Huyện Khác", province=other_old, ended_on=LAST_OLD_DAY)
    other_split = CommuneFactory(code="39301", name="Xã Khác", district=other_district, ended_on=LAST_OLD_DAY)
    other_new = ProvinceFactory(code="94", name="Tỉnh Mới Khác", began_on=REFORM_DAY)
    ProvinceSuccession.objects.create(predecessor=other_old, successor=other_new, on=REFORM_DAY)
    other_one = _new("39401", "Xã Khác Một", other_new)
    other_two = _new("39402", "Xã Khác Hai", other_new)
    for target in (other_one, other_two):
        CommuneSuccession.objects.create(
            predecessor=other_split, successor=target, on=REFORM_DAY, partly=True
        )
    elsewhere = BranchFactory(commune=other_split, name="Ấp Nơi Khác", member_count=10)
    assert branches_reattach(on=REFORM_DAY).moved == 1
    return {
        "old_province": old,
        "district": district,
        "split": split,
        "whole": whole,
        "province": new,
        "one": one,
        "two": two,
        "three": three,
        "waiting": waiting,
        "moved": moved,
        "elsewhere": elsewhere,
        "other_one": other_one,
        "staff": UserFactory(username="tinhdoan.moi", role=User.Role.PROVINCIAL_STAFF, province=new),
        "other_staff": UserFactory(
            username="tinhdoan.khac", role=User.Role.PROVINCIAL_STAFF, province=other_new
        ),
        "old_staff": UserFactory(username="tinhdoan.cu", role=User.Role.PROVINCIAL_STAFF, province=old),
        "district_officer": UserFactory(
            username="huyendoan.cu", role=User.Role.DISTRICT_OFFICER, district=district
        ),
        "commune_officer": UserFactory(username="doanxa.moimot", role=User.Role.COMMUNE_OFFICER, commune=one),
        "admin": UserFactory(username="quantri.moi", role=User.Role.ADMINISTRATOR),
    }


def commune(code: str) -> Commune:
    return Commune.objects.get_by_code(code)
