"""`manage.py load_demo`: the Trà Vinh demo in one command, and a second run that adds nothing.

The whole demo takes seconds to load: it is loaded once for the module, then loaded a second time, and each
test reads what it needs of both runs (what they printed, the rows before and after the second)."""

import io
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import call_command

from accounts.models import User
from assessments.models import Assessment
from awards.selectors import statistics
from branches.models import Branch, Commune, CommuneSuccession
from secretaries.models import Person
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    from awards.models import Campaign
    from secretaries.models import Correction

    return {
        "branches": Branch.objects.count(),
        "people": Person.objects.count(),
        "assessments": Assessment.objects.count(),
        "campaigns": Campaign.objects.count(),
        "corrections": Correction.objects.count(),
        "accounts": User.objects.count(),
    }


@dataclass
class Runs:
    first: str  # what the first load printed
    again: str  # what the second printed
    before: dict[str, int]  # the rows before the second load (counts())
    after: dict[str, int]  # and after it


def load_twice() -> Runs:
    first = load_demo()
    before = counts()
    again = load_demo()
    return Runs(first, again, before, counts())


@pytest.fixture(scope="module")
def runs(django_db_setup, django_db_blocker):
    """Both loads; the demo they loaded stays for the module's tests."""
    yield from shared_data(django_db_blocker, load_twice)


@pytest.fixture
def first_run(runs):
    """What the first `load_demo` printed."""
    return runs.first


def test_loading_again_adds_nothing(runs):
    assert runs.before == runs.after
    assert runs.after["branches"] > 500 and runs.after["people"] > 500 and runs.after["assessments"] > 500


def test_demo_loads_tra_vinh_with_branches_and_logins(first_run):
    communes = Commune.objects.filter(province__code="84")
    assert communes.count() == 104
    # Counted with the branches re-attached to a new commune on 01/07/2025.
    per_commune = [c.branches.count() + c.former_branches.count() for c in communes]
    assert min(per_commune) >= 3
    assert Branch.history.filter(history_type="+").count() == Branch.objects.count()
    officer = User.objects.get(username="huyendoan.tieucan")
    assert officer.district.code == "846" and officer.check_password("demo-bithu-2026")
    assert User.objects.get(username="quantri").is_superuser
    # Today's Vĩnh Long is there too, offline from the committed file, with the lineage of Trà Vinh's
    # communes; the demo gives its new communes no branches of their own.
    new_communes = Commune.objects.filter(province__code="86", began_on=date(2025, 7, 1))
    assert new_communes.count() == 124
    hieu_tu = communes.get(name="Xã Hiếu Tử")
    assert (hieu_tu.ended_on, hieu_tu.district.code) == (date(2025, 6, 30), "846")
    assert [row.successor.name for row in hieu_tu.successions.all()] == ["Xã Tập Ngãi"]
    assert CommuneSuccession.objects.filter(predecessor__province__code="84").count() == 104
    # After loading again too. (The branches split from one in 2026 belong to a new commune only.)
    assert Branch.objects.exclude(origins__kind="tach").count() == sum(per_commune)


def test_demo_reattaches_tra_vinhs_branches_to_the_new_communes(first_run, runs):
    assert re.search(r"The 2025 reform: \d{3,} branches re-attached on 01/07/2025", first_run)
    tap_ngai = Commune.objects.get_by_code("29365")
    assert tap_ngai.name == "Xã Tập Ngãi" and tap_ngai.ended_on is None
    moved = Branch.objects.filter(commune=tap_ngai).exclude(origins__kind="tach")
    assert moved.exists()
    # Each moved branch keeps its old commune, dated, and its history; Hiếu Tử's among them.
    assert all(b.attachments.get().ended_on == date(2025, 6, 30) for b in moved)
    assert moved.filter(attachments__commune__name="Xã Hiếu Tử").exists()
    assert not Branch.objects.filter(commune__ended_on__isnull=True, commune__province__code="84").exists()
    assert "The 2025 reform: 0 branches re-attached" in runs.again


def test_demo_files_who_was_appointed_since_the_reform_under_todays_units(first_run):
    """As the portal would have: Trà Vinh's staff read no one whose first term began after their province
    ended (a record of Vĩnh Long's units), while those appointed before keep the units of their time."""
    from django.db.models import Min

    from secretaries.models import Person

    people = Person.objects.annotate(first=Min("terms__started_on"))
    since = people.filter(first__gte=date(2025, 7, 1), terms__branch__commune__began_on__isnull=False)
    assert since.exists()
    assert not since.filter(province__ended_on__isnull=False).exists()
    assert people.filter(first__lt=date(2025, 7, 1), province__code="84").exists()


def test_demo_logins_of_both_worlds(first_run):
    from accounts import mfa

    staff = User.objects.get(username="tinhdoan.vinhlong")
    assert (staff.province.code, staff.province.ended_on) == ("86", None)
    assert mfa.has_second_factor(staff)
    tap_ngai = User.objects.get(username="doanxa.tapngai")
    hung_hoa = User.objects.get(username="doanxa.hunghoa")
    assert (tap_ngai.commune.name, hung_hoa.commune.name) == ("Xã Tập Ngãi", "Xã Hùng Hòa")
    assert tap_ngai.commune.ended_on is None and hung_hoa.commune.ended_on is None
    # Neighbours: neither reads the other's branches; both read the history of their own.
    mine = Branch.objects.visible_to(tap_ngai)
    assert mine.exists() and not mine.filter(commune=hung_hoa.commune).exists()
    assert Assessment.objects.visible_to(tap_ngai).filter(district__code="846").exists()
    assert Assessment.objects.visible_to(staff).filter(province__code="84").exists()
    for line in ("tinhdoan.vinhlong", "doanxa.tapngai", "doanxa.hunghoa", "tinhdoan.travinh"):
        assert line in first_run


def test_load_demo_reports_the_secretaries(first_run, runs):
    assert re.search(r"Demo secretaries created: \d{3,} people, \d{3,} terms", first_run)
    assert "Demo secretaries: Trà Vinh has its people already, none created." in runs.again
    assert runs.after["people"] == runs.before["people"]


def test_load_demo_reports_the_assessments(first_run, runs):
    assert re.search(r"Demo assessments created: \d{3,} \(\d+ for 2025, \d+ for 2026", first_run)
    assert "Demo assessments: Trà Vinh has its assessments already, none created." in runs.again
    assert runs.after["assessments"] == runs.before["assessments"]


def test_demo_leaves_split_communes_branches_in_the_work_list(first_run):
    from branches.selectors import attach_candidates, waiting_branches

    staff = User.objects.get(username="tinhdoan.vinhlong")
    waiting = attach_candidates(waiting_branches(user=staff), user=staff)
    # Trà Vinh's communes the conversion table marks "partly" (Long Hòa, Hòa Minh, Long Vĩnh, Đông Hải) keep
    # their branches waiting, each with the new commune(s) the table names.
    split = [b for b in waiting if any(c.partly for c in b.candidates)]
    assert len(split) >= 3
    assert {b.commune.name for b in split} <= {"Xã Long Hòa", "Xã Hòa Minh", "Xã Long Vĩnh", "Xã Đông Hải"}
    assert all(b.candidates and b.commune.ended_on == date(2025, 6, 30) for b in waiting)
    # A commune officer chooses none of them.
    assert not waiting_branches(user=User.objects.get(username="doanxa.tapngai")).exists()


def test_demo_rearranges_hamlets_of_tap_ngai_in_2026(first_run, runs):
    from branches.models import BranchSuccession
    from secretaries.models import Term

    assert (
        "Hamlets re-arranged in 2026 (Xã Tập Ngãi): 2 branches merged into one, 2 new branches" in first_run
    )
    tap_ngai = Commune.objects.get_by_code("29365")
    merge = BranchSuccession.objects.get(kind="hop_nhat", successor__commune=tap_ngai)
    assert (merge.predecessor.name, merge.successor.name, merge.on) == (
        "Ấp Xẻo Me",
        "Ấp Ông Rùm",
        date(2026, 4, 1),
    )
    assert merge.predecessor.ended_on == date(2026, 3, 31) and not merge.predecessor.is_active
    # Xẻo Me's secretary leads the merged branch from the day.
    lead = Term.objects.get(branch=merge.successor, role="bi_thu", ended_on__isnull=True)
    assert lead.started_on == date(2026, 4, 1)
    assert Term.objects.filter(
        branch=merge.predecessor, person=lead.person, ended_on=date(2026, 3, 31)
    ).exists()
    split = BranchSuccession.objects.filter(kind="tach", predecessor__commune=tap_ngai)
    assert sorted(split.values_list("successor__name", flat=True)) == ["Ấp Đại Mong A", "Ấp Đại Mong B"]
    assert sum(row.successor.member_count for row in split) == split[0].predecessor.member_count
    assert "Xã Tập Ngãi): 0 branches merged into one, 0 new branches" in runs.again


def test_demo_commendations_of_both_worlds(first_run, runs):
    """Trà Vinh's 2020 campaign stays decided, per district, with its 24 commended; this year's campaign is
    Tỉnh đoàn Vĩnh Long's, open, per commune, with the first nominations of Tập Ngãi and Hùng Hòa."""
    from django.utils import timezone

    from awards.models import Campaign, Commendation, Nomination

    assert "Trà Vinh's 2020 campaign decided (24 commended, 3 not approved)" in first_run
    assert "Vĩnh Long's campaign of this year open, with a quota per commune" in first_run
    old = Campaign.objects.get(province__code="84", year=2020)
    assert old.is_decided and old.level == "district"
    assert old.decision_signer  # printed under the certificates' signature
    assert Commendation.objects.filter(campaign=old, district__isnull=False).count() == 24
    assert not Campaign.objects.filter(province__code="84", year__gt=2020).exists()
    # Reviewed in 2020, before the decision of 20/11/2020 (not on the day the demo was loaded).
    reviewed = {timezone.localtime(n.reviewed_at).date() for n in old.nominations.all()}
    assert reviewed == {date(2020, 11, 12)}
    # And its history says so, each step by who took it: Tỉnh đoàn Trà Vinh records nothing after 30/06/2025.
    records = [
        *old.history.all(),
        *Nomination.history.filter(campaign_id=old.pk),
        *Commendation.history.filter(campaign_id=old.pk),
    ]
    assert {timezone.localtime(r.history_date).year for r in records} == {2020}
    staff = old.created_by_id
    by_staff = [*old.history.all(), *Commendation.history.filter(campaign_id=old.pk)]
    by_staff += Nomination.history.filter(campaign_id=old.pk, history_type="~")
    assert {r.history_user_id for r in by_staff} == {staff}
    assert all(
        r.history_user_id == r.created_by_id
        for r in Nomination.history.filter(campaign_id=old.pk, history_type="+")
    )
    assert [timezone.localtime(r.history_date).date() for r in old.history.order_by("history_id")] == [
        date(2020, 8, 25),
        date(2020, 10, 16),
        date(2020, 11, 20),
    ]
    today = Campaign.objects.get(province__code="86", year=timezone.localdate().year)
    assert today.is_open and today.level == "commune" and today.default_quota == 2
    assert today.window().state == "open"
    tap_ngai = Commune.objects.get_by_code("29365")
    assert (
        today.quotas.get(commune=tap_ngai).quota == 3
        and today.quotas.filter(district__isnull=False).count() == 0
    )
    by_commune = {
        (n.commune.name, n.status, n.created_by.username)
        for n in Nomination.objects.filter(campaign=today).select_related("commune", "created_by")
    }
    assert by_commune == {
        ("Xã Tập Ngãi", Nomination.Status.SUBMITTED, "doanxa.tapngai"),
        ("Xã Tập Ngãi", Nomination.Status.DRAFT, "doanxa.tapngai"),
        ("Xã Hùng Hòa", Nomination.Status.SUBMITTED, "doanxa.hunghoa"),
    }
    assert Nomination.objects.filter(campaign=today, commune=tap_ngai).count() == 3
    assert "Vĩnh Long has its campaigns already, none created." in runs.again
    assert Campaign.objects.filter(province__code="86").count() == 1


def test_demo_shows_the_public_wall_with_and_without_portraits(first_run, client):
    """The output names the wall; a few of the 2020 commended agreed to show their portrait, the rest not."""
    from django.core.cache import cache

    from awards.models import Commendation

    assert "http://127.0.0.1:8000/guong-bi-thu/" in first_run
    commended = Commendation.objects.filter(year=2020, province__code="84").select_related("person")
    consented = [c for c in commended if c.person.may_be_shown_publicly]
    assert 0 < len(consented) < len(commended)
    cache.clear()
    html = client.get(f"/guong-bi-thu/{commended[0].province_id}/2020/").content.decode()
    assert len(re.findall(r'src="/guong-bi-thu/anh/\d+/"', html)) == len(consented)


def test_demo_secretary_account_with_a_pending_correction(first_run):
    from secretaries.models import Correction
    from secretaries.selectors import visible_corrections

    secretary = User.objects.get(username="bithu.tapngai")
    assert secretary.is_secretary and secretary.check_password("demo-bithu-2026")
    assert "bithu.tapngai" in first_run
    officer = User.objects.get(username="doanxa.tapngai")
    pending = visible_corrections(officer).pending()
    assert list(pending.values_list("person", flat=True)) == [secretary.person_id]
    assert Person.objects.visible_to(officer).filter(pk=secretary.person_id).exists()
    # After the second load too: still one account, one correction.
    assert Correction.objects.filter(person=secretary.person_id).count() == 1


# The demo's example of "as recorded" and "rolled up to today's units": Vĩnh Long's staff read 2020's 24
# commendations under Tỉnh Trà Vinh and its districts as recorded, and under today's communes of Vĩnh Long
# rolled up (a few still under the old commune of a branch waiting in the work list "Chi đoàn chờ xác định xã
# mới").


def test_2020_as_recorded_is_under_tra_vinh_and_its_districts(first_run):
    data = statistics(user=User.objects.get(username="tinhdoan.vinhlong"), year=2020)
    [tra_vinh] = data["provinces"]
    assert (tra_vinh["province"].name, tra_vinh["total"]) == ("Tỉnh Trà Vinh", 24)
    assert len(tra_vinh["rows"]) == 9
    assert {row["level"] for row in tra_vinh["rows"]} == {"district"}


def test_2020_rolled_up_is_under_todays_communes(first_run):
    data = statistics(user=User.objects.get(username="tinhdoan.vinhlong"), year=2020, units="today")
    assert sum(group["total"] for group in data["provinces"]) == 24
    today = [g for g in data["provinces"] if g["province"].ended_on is None]
    waiting = [g for g in data["provinces"] if g["province"].ended_on is not None]
    [vinh_long] = today
    assert vinh_long["province"].name == "Tỉnh Vĩnh Long"
    assert all(row["level"] == "commune" for row in vinh_long["rows"])
    assert all(row["unit"].began_on == date(2025, 7, 1) for row in vinh_long["rows"])
    assert vinh_long["total"] >= 20
    # Only branches still waiting for their new commune stay under the old units.
    assert all(row["unit"].ended_on for group in waiting for row in group["rows"])
