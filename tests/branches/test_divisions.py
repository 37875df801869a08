"""Loading the official units (`manage.py load_divisions`) and the benchmark data set (`seed_scale`)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from branches.divisions import OLD_WORLD, divisions_load, official_divisions, province_codes_normalize
from branches.models import Branch, Commune, CommuneSuccession, District, Province, ProvinceSuccession
from core.text import fold
from demo.scale.branches import ScaleOptions, branches_generate, branches_seed, users_step


def load(*codes: str) -> str:
    out = StringIO()
    arguments = [argument for code in codes for argument in ("--province", code)]
    call_command("load_divisions", *arguments, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every stored field of every unit, to prove a re-run touches nothing."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Province, District, Commune, ProvinceSuccession, CommuneSuccession)
    }


def test_official_list_is_the_whole_country():
    official = official_divisions()
    assert (len(official.provinces), len(official.districts), len(official.communes)) == (63, 696, 10051)
    assert [unit.code for unit in official.communes] == sorted(unit.code for unit in official.communes)


def test_province_codes_are_read_as_typed():
    assert province_codes_normalize(["84", "1", "01", " 79 "]) == ["84", "01", "79"]


@pytest.mark.django_db
def test_tra_vinh_loads_with_kinds_from_the_names():
    output = load("84")

    assert Province.objects.filter(OLD_WORLD).count() == 1
    assert District.objects.count() == 9
    assert Commune.objects.filter(OLD_WORLD).count() == 104
    tra_vinh = Province.objects.get(code="84")
    assert (tra_vinh.name, tra_vinh.kind, tra_vinh.name_key) == ("Tỉnh Trà Vinh", "tinh", "tinh tra vinh")
    districts = {d.code: (d.name, d.kind) for d in District.objects.all()}
    assert districts["846"] == ("Huyện Tiểu Cần", District.Kind.RURAL_DISTRICT)
    assert districts["851"] == ("Thị xã Duyên Hải", District.Kind.TOWN)
    assert districts["842"] == ("Thành phố Trà Vinh", District.Kind.CITY)
    assert set(District.objects.values_list("province__code", flat=True)) == {"84"}

    old = Commune.objects.filter(OLD_WORLD)
    township = old.get(name="Thị trấn Tiểu Cần")
    assert township.kind == Commune.Kind.TOWNSHIP
    assert (township.district.code, township.province.code) == ("846", "84")
    assert old.get(code="29350").name == "Xã Hiếu Tử"
    assert old.get(code="29350").kind == Commune.Kind.COMMUNE
    wards = Commune.objects.filter(name__startswith="Phường ")
    assert wards.exists()
    assert set(wards.values_list("kind", flat=True)) == {Commune.Kind.WARD}
    assert all(c.name_key == fold(c.name) for c in Commune.objects.all())
    assert "104 created" in " ".join(output.split())


@pytest.mark.django_db
def test_ids_follow_the_official_code_order():
    # The national branch list is ordered by commune id and relies on this.
    load("84", "86")
    for world in (OLD_WORLD, ~OLD_WORLD):
        codes = list(Commune.objects.filter(world).order_by("pk").values_list("code", flat=True))
        assert codes == sorted(codes)


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    load("84")
    before = snapshot()

    output = load("84")
    report = divisions_load(province_codes=["84"])

    assert snapshot() == before
    for level, counts in report.levels():
        assert (counts.created, counts.updated) == (0, 0), level
    assert (report.provinces.unchanged, report.districts.unchanged, report.communes.unchanged) == (1, 9, 104)
    assert (report.new_provinces.unchanged, report.new_communes.unchanged) == (1, 124)
    assert (report.province_lineage.unchanged, report.commune_lineage.unchanged) == (1, 104)
    lines = [" ".join(line.split()) for line in output.splitlines()]
    assert "communes 0 created 0 updated 104 unchanged" in lines
    assert "Already up to date" in output


@pytest.mark.django_db
def test_a_renamed_unit_is_put_right_on_the_next_load():
    load("84")
    District.objects.filter(code="846").update(
        name="Huyện Tiểu Cần Cũ", name_key="huyen tieu can cu", kind="quan"
    )
    Commune.objects.filter(OLD_WORLD, code="29350").update(name="Xã Hiếu Tử Mới", name_key="xa hieu tu moi")
    ids = dict(District.objects.values_list("code", "pk"))

    report = divisions_load(province_codes=["84"])

    assert (report.districts.updated, report.districts.unchanged) == (1, 8)
    assert (report.communes.updated, report.communes.unchanged) == (1, 103)
    tieu_can = District.objects.get(code="846")
    assert (tieu_can.name, tieu_can.name_key, tieu_can.kind) == ("Huyện Tiểu Cần", "huyen tieu can", "huyen")
    assert tieu_can.pk == ids["846"]  # updated in place, not replaced
    assert Commune.objects.get(OLD_WORLD, code="29350").name_key == "xa hieu tu"


@pytest.mark.django_db
@pytest.mark.parametrize("codes", [["99"], ["84", "99"], ["abc"]])
def test_an_unknown_province_code_is_refused_and_nothing_is_written(codes):
    with pytest.raises(CommandError, match=r"Unknown province code .*; known codes are 01–96"):
        load(*codes)

    assert (Province.objects.count(), District.objects.count(), Commune.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_generated_branches_look_like_hamlets_and_quarters():
    load("84")
    communes = list(Commune.objects.filter(province__code="84").order_by("code"))

    branches = list(branches_generate(communes=communes, per_commune=5, seed=1))

    # Counts cycle −2, +2, −1, +1, 0 around the average; 104 communes end after a "+1", so 5 × 104.
    assert len(branches) == 5 * 104
    by_commune = {}
    for branch in branches:
        by_commune.setdefault(branch.commune_id, []).append(branch)
        assert branch.name_key == fold(branch.name)
    assert set(by_commune) == {c.pk for c in communes}
    for siblings in by_commune.values():
        assert len({b.name_key for b in siblings}) == len(siblings)
    kinds = {c.pk: c.kind for c in communes}
    ward_branch_kinds = {b.kind for b in branches if kinds[b.commune_id] == Commune.Kind.WARD}
    assert Branch.Kind.HAMLET not in ward_branch_kinds
    assert any(b.name.startswith("Ấp Cây ") for b in branches)
    # The same seed gives the same data.
    again = list(branches_generate(communes=communes, per_commune=5, seed=1))
    assert [b.name for b in again] == [b.name for b in branches]


@pytest.mark.django_db
def test_seeding_fills_only_empty_communes_and_keeps_history():
    load("84")
    hieu_tu = Commune.objects.get(OLD_WORLD, code="29350")
    Branch.objects.create(commune=hieu_tu, name="Ấp Cây Gòn")

    created = branches_seed(per_commune=3, seed=1, batch_size=50, communes=Commune.objects.all())

    assert created == Branch.objects.count() - 1
    assert list(hieu_tu.branches.values_list("name", flat=True)) == ["Ấp Cây Gòn"]
    assert not Commune.objects.filter(branches__isnull=True).exists()
    assert Branch.history.filter(history_type="+").count() == created + 1
    assert branches_seed(per_commune=3, seed=1, communes=Commune.objects.all()) == 0


@pytest.mark.django_db
def test_benchmark_accounts_are_bound_to_their_units():
    load("84")
    users_step(options=ScaleOptions(password="thu-mat-khau"), log=lambda message: None)
    users_step(options=ScaleOptions(password="thu-mat-khau"), log=lambda message: None)

    User = get_user_model()
    staff = User.objects.get(username="bench.tinh")
    officer = User.objects.get(username="bench.huyen")
    assert (staff.role, staff.province.code, staff.district) == ("provincial_staff", "84", None)
    assert (officer.role, officer.district.code, officer.province) == ("district_officer", "846", None)
    assert staff.check_password("thu-mat-khau")
    assert User.objects.filter(username__startswith="bench.").count() == 3
    # `make bench` times Django admin's pages as the administrator: like the demo's, staff and superuser.
    administrator = User.objects.get(username="bench.quantri")
    assert (administrator.role, administrator.is_staff, administrator.is_superuser) == (
        "administrator",
        True,
        True,
    )
    assert not (staff.is_staff or officer.is_staff)


def test_loading_the_official_units_again_moves_their_version_on(db):
    """core.versioning: loading the official units again is a save like any other."""
    divisions_load(province_codes=["84"])
    province = Province.objects.get(code="84")
    Province.objects.filter(pk=province.pk).update(name="Tên cũ")
    divisions_load(province_codes=["84"])
    province_again = Province.objects.get(pk=province.pk)
    assert province_again.version == province.version + 1
