"""Campaigns of the 2025 world: quotas per commune, nominations by commune officers, and the units named as
they were on the decision date (certificates, published lists) in both worlds.

The module's world is the reform in small: Tỉnh Trà Vinh, Huyện Tiểu Cần and Xã Hiếu Tử ended on
30/06/2025; Xã Hiếu Tử went whole into Xã Tập Ngãi of the new Tỉnh Vĩnh Long (no districts), beside Xã Hùng
Hòa. Trà Vinh's 2020 campaign commended the secretary of Ấp Cây Gòn (Hiếu Tử) before the branch was
re-attached to Tập Ngãi. Vĩnh Long's campaign of this year is open, per commune: 2 places by default, Tập
Ngãi 3. Built once for the module; each test runs in a savepoint of its own.
"""

import datetime
import io
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import User
from awards import services
from awards.certificate import CertificateText
from awards.home import panel
from awards.models import COMMUNE, DISTRICT, Campaign, Commendation, Nomination, Quota, nominating_level
from awards.selectors import quota_use
from branches.divisions import REFORM_DAY
from branches.models import Branch, Commune, CommuneSuccession, District, Province, ProvinceSuccession
from branches.selectors import branch_communes_on
from branches.services import branches_reattach
from tests.conftest import shared_data
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, ProvinceFactory, UserFactory
from tests.factories import person_with_term as _person_with_term
from tests.login import login_verified

pytestmark = pytest.mark.django_db

# Read when a test needs it, not once at import: a run that crosses Vietnam's midnight would compare
# yesterday's date with the portal's today.
today = timezone.localdate
LAST_DAY = REFORM_DAY - datetime.timedelta(days=1)
SUMMARY = "Tổ chức tốt phong trào thanh niên tình nguyện."


def person_with_term(**kwargs):
    return _person_with_term(started_on=datetime.date(2019, 3, 26), **kwargs)


def _build() -> dict:
    tra_vinh = ProvinceFactory(code="84", name="Tỉnh Trà Vinh", ended_on=LAST_DAY)
    tieu_can = DistrictFactory(code="846", name="Huyện Tiểu Cần", province=tra_vinh, ended_on=LAST_DAY)
    hieu_tu = CommuneFactory(code="29350", name="Xã Hiếu Tử", district=tieu_can, ended_on=LAST_DAY)
    vinh_long = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long", began_on=REFORM_DAY)
    ProvinceSuccession.objects.create(predecessor=tra_vinh, successor=vinh_long, on=REFORM_DAY)
    tap_ngai, hung_hoa = (
        CommuneFactory(code=code, name=name, province=vinh_long, district=None, began_on=REFORM_DAY)
        for code, name in (("29365", "Xã Tập Ngãi"), ("29362", "Xã Hùng Hòa"))
    )
    CommuneSuccession.objects.create(predecessor=hieu_tu, successor=tap_ngai, on=REFORM_DAY)
    old_branch = BranchFactory(commune=hieu_tu, name="Ấp Cây Gòn")
    teo = person_with_term(branch=old_branch, full_name="Nguyễn Văn Tèo")
    # Trà Vinh's 2020 decision, made with the units of its time.
    decided = Campaign.objects.create(
        province=tra_vinh,
        year=2020,
        title="Tuyên dương năm 2020",
        opens_on=datetime.date(2020, 9, 1),
        closes_on=datetime.date(2020, 10, 15),
        status=Campaign.Status.DECIDED,
        decision_number="125/QĐ-TĐTN",
        decision_date=datetime.date(2020, 11, 20),
    )
    nomination_2020 = Nomination.objects.create(
        campaign=decided,
        person=teo,
        branch=old_branch,
        district=tieu_can,
        province=tra_vinh,
        summary=SUMMARY,
        report="Báo cáo.",
        status=Nomination.Status.APPROVED,
    )
    Commendation.objects.create(
        nomination=nomination_2020,
        campaign=decided,
        person=teo,
        branch=old_branch,
        district=tieu_can,
        province=tra_vinh,
        year=2020,
    )
    assert branches_reattach(on=REFORM_DAY).moved == 1
    staff = UserFactory(username="tinhdoan.vinhlong", role=User.Role.PROVINCIAL_STAFF, province=vinh_long)
    UserFactory(username="doanxa.tapngai", role=User.Role.COMMUNE_OFFICER, commune=tap_ngai)
    UserFactory(username="doanxa.hunghoa", role=User.Role.COMMUNE_OFFICER, commune=hung_hoa)
    UserFactory(username="huyendoan.tieucan", role=User.Role.DISTRICT_OFFICER, district=tieu_can)
    UserFactory(username="tinhdoan.travinh", role=User.Role.PROVINCIAL_STAFF, province=tra_vinh)
    campaign = services.campaign_save(
        campaign=Campaign(
            province=vinh_long,
            year=today().year,
            title=f"Tuyên dương năm {today().year}",
            opens_on=today() - datetime.timedelta(days=10),
            closes_on=today() + datetime.timedelta(days=20),
            default_quota=2,
        ),
        quotas={tap_ngai: 3},
        user=staff,
    )
    services.campaign_open(campaign=campaign, user=staff)
    # Secretaries of today's branches: the re-attached one (Tèo), two branches founded since the reform.
    for name in ("Ấp Mới 1", "Ấp Mới 2", "Ấp Mới 3"):
        person_with_term(branch=BranchFactory(commune=tap_ngai, name=name))
    person_with_term(branch=BranchFactory(commune=hung_hoa, name="Ấp Hùng Hòa"))
    return {"campaign": campaign.pk, "decided": decided.pk}


@pytest.fixture(scope="module")
def reform(django_db_setup, django_db_blocker):
    yield from shared_data(django_db_blocker, _build)


@pytest.fixture
def w(reform):
    """The world's objects, read afresh for each test."""
    return {
        "campaign": Campaign.objects.select_related("province").get(pk=reform["campaign"]),
        "decided": Campaign.objects.select_related("province").get(pk=reform["decided"]),
        "tap_ngai": Commune.objects.get(code="29365"),
        "hung_hoa": Commune.objects.get(code="29362"),
        "tieu_can": District.objects.get(code="846"),
        "tra_vinh": Province.objects.get(code="84"),
        "vinh_long": Province.objects.get(code="86"),
        "teo": Branch.objects.get(name="Ấp Cây Gòn").terms.get().person,
        "officer": User.objects.get(username="doanxa.tapngai"),
        "neighbour": User.objects.get(username="doanxa.hunghoa"),
        "staff": User.objects.get(username="tinhdoan.vinhlong"),
        "tieu_can_officer": User.objects.get(username="huyendoan.tieucan"),
    }


def secretaries_of(commune) -> list:
    return [
        b.terms.get().person
        for b in Branch.objects.filter(commune=commune).order_by("name_key")
        if b.terms.exists()
    ]


def nominate(campaign, person, user, *, submit=True) -> Nomination:
    nomination = services.nomination_save(
        nomination=Nomination(campaign=campaign, person=person, summary=SUMMARY, report="Báo cáo."), user=user
    )
    return services.nomination_submit(nomination=nomination, user=user) if submit else nomination


class TestLevel:
    def test_the_province_decides_the_nominating_units(self, w):
        assert nominating_level(w["vinh_long"]) == COMMUNE
        assert nominating_level(w["tra_vinh"]) == DISTRICT
        assert (w["campaign"].level, w["decided"].level) == (COMMUNE, DISTRICT)
        with translation.override("vi"):
            assert str(w["campaign"].quota_label) == "Chỉ tiêu mỗi xã"
            assert str(w["decided"].quota_label) == "Chỉ tiêu mỗi huyện"

    def test_a_quota_belongs_to_exactly_one_unit_and_one_per_commune(self, w):
        campaign = w["campaign"]
        for fields in ({}, {"district": w["tieu_can"], "commune": w["tap_ngai"]}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Quota.objects.create(campaign=campaign, quota=1, **fields)
        with pytest.raises(IntegrityError), transaction.atomic():
            Quota.objects.create(campaign=campaign, commune=w["tap_ngai"], quota=4)

    def test_a_nomination_comes_from_exactly_one_unit(self, w):
        person = secretaries_of(w["hung_hoa"])[0]
        with pytest.raises(IntegrityError), transaction.atomic():
            Nomination.objects.create(
                campaign=w["campaign"],
                person=person,
                branch=person.terms.get().branch,
                province=w["vinh_long"],
                summary=SUMMARY,
                report="x",
            )


class TestNominating:
    def test_a_commune_officer_nominates_within_the_commune_quota(self, w):
        campaign, officer = w["campaign"], w["officer"]
        people = secretaries_of(w["tap_ngai"])
        assert len(people) == 4  # Tèo's re-attached branch and three founded since the reform
        sent = [nominate(campaign, person, officer) for person in people[:3]]
        # The nominating unit is today's commune; a post-2025 branch has no district at all.
        assert {(n.commune, n.district, n.province) for n in sent} == {(w["tap_ngai"], None, w["vinh_long"])}
        draft = nominate(campaign, people[3], officer, submit=False)
        with translation.override("vi"), pytest.raises(ValidationError) as refused:
            services.nomination_submit(nomination=draft, user=officer)
        assert refused.value.code == "quota"
        assert refused.value.messages == [
            "Chỉ tiêu của Xã Tập Ngãi là 3 và đã gửi 3 đề nghị: gửi thêm đề nghị này sẽ vượt chỉ tiêu."
        ]
        [use] = quota_use(campaign=campaign, user=officer)
        assert (use.unit, use.quota, use.used, use.left, use.draft) == (w["tap_ngai"], 3, 3, 0, 1)

    def test_the_neighbours_quota_is_its_own(self, w):
        for person in secretaries_of(w["tap_ngai"])[:3]:
            nominate(w["campaign"], person, w["officer"])
        [hung_hoa_secretary] = secretaries_of(w["hung_hoa"])
        nomination = nominate(w["campaign"], hung_hoa_secretary, w["neighbour"])
        assert nomination.is_submitted and nomination.commune == w["hung_hoa"]
        [use] = quota_use(campaign=w["campaign"], user=w["neighbour"])
        assert (use.quota, use.used, use.left) == (2, 1, 1)

    def test_no_one_nominates_a_neighbouring_communes_secretary(self, w):
        [hung_hoa_secretary] = secretaries_of(w["hung_hoa"])
        with pytest.raises(ValidationError) as refused:
            nominate(w["campaign"], hung_hoa_secretary, w["officer"], submit=False)
        assert refused.value.code == "outside_unit"

    def test_a_district_officer_nominates_in_no_campaign_of_communes(self, w):
        with pytest.raises(ValidationError) as refused:
            nominate(w["campaign"], w["teo"], w["tieu_can_officer"], submit=False)
        # Huyện đoàn Tiểu Cần ended on 30/06/2025: it records nothing dated after.
        assert refused.value.code == "unit_ended"

    def test_an_ended_unit_cannot_nominate_even_in_its_own_old_campaign(self, w):
        old = Campaign.objects.create(
            province=w["tra_vinh"],
            year=2025,
            title="Tuyên dương năm 2025",
            opens_on=today() - datetime.timedelta(days=1),
            closes_on=today() + datetime.timedelta(days=1),
            status=Campaign.Status.OPEN,
        )
        person = secretaries_of(w["tap_ngai"])[1]
        with pytest.raises(ValidationError) as refused:
            services.nomination_save(
                nomination=Nomination(campaign=old, person=person, summary=SUMMARY, report="x"),
                user=w["tieu_can_officer"],
            )
        assert refused.value.code == "unit_ended"
        with pytest.raises(ValidationError) as refused:
            services.campaign_save(
                campaign=Campaign(
                    province=w["tra_vinh"],
                    year=2027,
                    title="Tuyên dương 2027",
                    opens_on=today(),
                    closes_on=today(),
                ),
                quotas={},
                user=User.objects.get(username="tinhdoan.travinh"),
            )
        assert refused.value.error_dict["opens_on"][0].code == "unit_ended"

    def test_the_nomination_page_of_a_commune_officer(self, client, w):
        client.force_login(w["officer"])
        client.cookies["django_language"] = "vi"
        url = reverse("awards:nomination_create", args=[w["campaign"].pk])
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Chỉ tiêu của Xã Tập Ngãi" in html and 'data-quota="3"' in html
        ranked = {c.person.pk for c in response.context["candidates"]}
        assert ranked == {p.pk for p in secretaries_of(w["tap_ngai"])}
        # A neighbour's secretary is not a choice, whatever is posted.
        [other] = secretaries_of(w["hung_hoa"])
        response = client.post(url, {"person": other.pk, "summary": SUMMARY, "report": "x", "submit": "1"})
        assert response.status_code == 200 and "person" in response.context["form"].errors
        response = client.post(url, {"person": w["teo"].pk, "summary": SUMMARY, "report": "x", "submit": "1"})
        nomination = Nomination.objects.get(campaign=w["campaign"], person=w["teo"])
        assert response.status_code == 302 and nomination.is_submitted and nomination.commune == w["tap_ngai"]

    def test_the_old_provinces_campaign_says_why_the_commune_does_not_nominate_in_it(self, client, w):
        """An old link to Trà Vinh's 2020 nomination page: 403, saying whose campaign it was and where the
        commune nominates today; the general sentence about roles would not tell the officer what to do."""
        client.force_login(w["officer"])
        response = client.get(reverse("awards:nomination_create", args=[w["decided"].pk]))
        assert response.status_code == 403
        html = response.content.decode()
        assert "“Tuyên dương năm 2020” do Tỉnh đoàn Trà Vinh tổ chức trước khi sắp xếp" in html
        assert "các đợt của Tỉnh đoàn Vĩnh Long" in html
        assert "Vai trò của tài khoản" not in html
        # Anyone else's refusal keeps the general sentence: staff do not nominate at all.
        login_verified(client, w["staff"])
        response = client.get(reverse("awards:nomination_create", args=[w["campaign"].pk]))
        assert response.status_code == 403 and "Vai trò của tài khoản" in response.content.decode()

    def test_the_campaign_list_shows_the_communes_own_place(self, client, w):
        nominate(w["campaign"], w["teo"], w["officer"])
        client.force_login(w["officer"])
        response = client.get(reverse("awards:campaign_list"))
        rows = {c.pk: c for c in response.context["campaigns"]}
        current, old = rows[w["campaign"].pk], rows[w["decided"].pk]
        assert current.nominates and (current.unit_quota, current.unit_used, current.unit_left) == (3, 1, 2)
        assert not old.nominates  # Trà Vinh's 2020 campaign is read, not nominated in

    def test_the_first_screen_of_a_commune_officer(self, w):
        nominate(w["campaign"], w["teo"], w["officer"], submit=False)
        [row] = panel(w["officer"]).context["open_campaigns"]
        assert (row["campaign"].pk, row["quota"], row["left"], len(row["drafts"])) == (
            w["campaign"].pk,
            3,
            3,
            1,
        )

    def test_a_commune_corrects_a_nomination_the_province_did_not_approve(self, client, w):
        """Not approved while the campaign still takes nominations: the commune cannot nominate the same
        secretary again (one nomination a person and campaign), so it takes this one back to draft,
        attaches what was asked and sends it again; the province reviews it again."""
        reason = "Báo cáo thành tích chưa đính kèm"
        nomination = nominate(w["campaign"], w["teo"], w["officer"])
        nomination = services.nomination_reject(nomination=nomination, reviewer=w["staff"], reason=reason)
        url = reverse("awards:nomination_revise", args=[nomination.pk])
        # The neighbouring commune and another province's staff do not see it; its own province's staff
        # review it and do not correct it.
        other_staff = UserFactory(
            role=User.Role.PROVINCIAL_STAFF, province=ProvinceFactory(code="87", name="Tỉnh Đồng Tháp")
        )
        for user, status in ((w["neighbour"], 404), (other_staff, 404), (w["staff"], 403)):
            login_verified(client, user)
            assert client.post(url).status_code == status, user
        client.force_login(w["officer"])
        client.cookies["django_language"] = "vi"
        page = client.get(nomination.get_absolute_url()).content.decode()
        assert "Sửa và gửi lại" in page and url in page
        response = client.post(url, {"loaded_version": nomination.version}, follow=True)
        assert "Đề nghị tuyên dương Nguyễn Văn Tèo đã về nháp" in response.content.decode()
        nomination.refresh_from_db()
        assert nomination.is_draft and nomination.commune == w["tap_ngai"]
        page = client.get(nomination.get_absolute_url()).content.decode()
        assert (
            f"Lần xét trước: Tỉnh đoàn đã không duyệt ngày {today().strftime('%d/%m/%Y')} vì:" in page
            and reason in page
        )
        [use] = quota_use(campaign=w["campaign"], user=w["officer"])
        assert (use.used, use.draft, use.rejected) == (0, 1, 0)
        [row] = panel(w["officer"]).context["open_campaigns"]
        assert [d.pk for d in row["drafts"]] == [nomination.pk]
        services.nomination_submit(nomination=nomination, user=w["officer"])
        services.nomination_approve(nomination=nomination, reviewer=w["staff"])
        nomination.refresh_from_db()
        assert nomination.is_approved
        assert nomination.history.filter(status=Nomination.Status.REJECTED, rejection_reason=reason).exists()
        # Once the campaign is under review, a rejected nomination stays so.
        services.nomination_decision_change(
            nomination=nomination, approve=False, reason=reason, reviewer=w["staff"]
        )
        services.campaign_close(campaign=w["campaign"], user=w["staff"])
        response = client.post(url, follow=True)
        assert "Đợt tuyên dương đang ở trạng thái “Đang xét duyệt”" in response.content.decode()
        assert Nomination.objects.get(pk=nomination.pk).is_rejected


class TestQuotaPage:
    def url(self, w, query=""):
        return reverse("awards:campaign_quotas", args=[w["campaign"].pk]) + query

    @pytest.fixture
    def staff(self, client, w):
        login_verified(client, w["staff"])
        client.cookies["django_language"] = "vi"
        return client

    def test_the_campaign_form_of_a_2025_province_has_no_field_per_district(self, staff, w):
        response = staff.get(reverse("awards:campaign_update", args=[w["campaign"].pk]))
        form = response.context["form"]
        assert not [name for name in form.fields if name.startswith("quota_")]
        assert form.fields["default_quota"].label == "Chỉ tiêu mỗi xã"

    def test_search_ignores_diacritics_and_pages_hold_25(self, staff, w):
        for n in range(30):
            CommuneFactory(
                code=f"29{400 + n}",
                name=f"Phường {n + 1}",
                province=w["vinh_long"],
                district=None,
                began_on=REFORM_DAY,
            )
        response = staff.get(self.url(w))
        assert response.context["paginator"].count == 32 and len(response.context["units"]) == 25
        response = staff.get(self.url(w, "?q=tap+ngai"))
        [unit] = response.context["units"]
        assert unit == w["tap_ngai"] and response.context["form"][f"quota_{unit.pk}"].initial == 3

    def test_only_the_units_with_a_quota_of_their_own(self, staff, w):
        response = staff.get(self.url(w, "?overridden=1"))
        assert [u.name for u in response.context["units"]] == ["Xã Tập Ngãi"]
        assert response.context["override_count"] == 1

    def test_the_campaign_page_lists_the_communes_that_nominated(self, staff, w):
        nominate(w["campaign"], w["teo"], w["officer"])
        response = staff.get(reverse("awards:campaign_detail", args=[w["campaign"].pk]))
        assert [r.unit.name for r in response.context["quota_rows"]] == ["Xã Tập Ngãi"]
        assert response.context["quota_rows_hidden"] == 1  # Hùng Hòa, counted in the totals
        assert response.context["quota_totals"]["quota"] == 5

    def test_overrides_of_the_page_are_saved_and_cleared(self, staff, w):
        campaign = w["campaign"]
        data = {
            "loaded_version": campaign.version,
            f"quota_{w['tap_ngai'].pk}": "",
            f"quota_{w['hung_hoa'].pk}": "5",
        }
        response = staff.post(self.url(w), data)
        assert response.status_code == 302
        assert dict(campaign.quotas.values_list("commune__name", "quota")) == {"Xã Hùng Hòa": 5}

    def test_a_bad_number_is_refused_beside_its_commune(self, staff, w):
        campaign = w["campaign"]
        data = {"loaded_version": campaign.version, f"quota_{w['hung_hoa'].pk}": "-1"}
        response = staff.post(self.url(w, "?q=hung"), data)
        assert response.status_code == 200
        assert response.context["form"].errors[f"quota_{w['hung_hoa'].pk}"]
        assert campaign.quotas.filter(commune=w["hung_hoa"]).count() == 0

    def test_a_stale_page_is_refused(self, staff, w):
        campaign = w["campaign"]
        loaded = campaign.version
        services.campaign_quotas_save(
            campaign=campaign, quotas={w["hung_hoa"]: 4}, user=w["staff"], version=loaded
        )
        response = staff.post(self.url(w), {"loaded_version": loaded, f"quota_{w['hung_hoa'].pk}": "1"})
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        assert campaign.quotas.get(commune=w["hung_hoa"]).quota == 4

    def test_a_fixed_number_of_queries(self, staff, w, django_assert_max_num_queries):
        with django_assert_max_num_queries(14) as few:
            staff.get(self.url(w))
        for n in range(30):
            commune = CommuneFactory(
                code=f"29{400 + n}",
                name=f"Phường {n + 1}",
                province=w["vinh_long"],
                district=None,
                began_on=REFORM_DAY,
            )
            Quota.objects.create(campaign=w["campaign"], commune=commune, quota=1)
        with django_assert_max_num_queries(len(few)):
            staff.get(self.url(w))


class TestReviewPage:
    def test_the_commune_is_typed_among_the_provinces_own(self, client, w):
        """QA: the review's commune filter was a select of the province's 124 communes. It is typed, as every
        list's commune filter is (core.widgets.AutocompleteSelect): the page carries the chosen commune only,
        and the search offers the campaign province's communes, not the old ones the staff also read."""
        login_verified(client, w["staff"])
        url = reverse("awards:campaign_review", args=[w["campaign"].pk])
        html = client.get(url).content.decode()
        select = re.search(r'<select name="commune"[^>]*>(.*?)</select>', html, re.S)
        assert select and "data-autocomplete-url" in select.group(0)
        assert "Xã Hùng Hòa" not in select.group(1) and "Xã Tập Ngãi" not in select.group(1)
        params = re.search(r'data-autocomplete-params="([^"]*)"', select.group(0)).group(1)
        assert params == f"province={w['vinh_long'].pk}"
        search = reverse("branches:commune_autocomplete") + f"?{params}&q=xa"
        assert [r["text"] for r in client.get(search).json()["results"]] == ["Xã Hùng Hòa", "Xã Tập Ngãi"]
        assert "Xã Hiếu Tử" in str(client.get(reverse("branches:commune_autocomplete") + "?q=xa").json())
        # Chosen (the quota table's links), it is the one option, and the list is the commune's.
        nominate(w["campaign"], w["teo"], w["officer"])
        response = client.get(f"{url}?commune={w['tap_ngai'].pk}")
        select = re.search(r'<select name="commune"[^>]*>(.*?)</select>', response.content.decode(), re.S)
        assert "Xã Tập Ngãi" in select.group(1) and "Xã Hùng Hòa" not in select.group(1)
        assert [n.person for n in response.context["nominations"]] == [w["teo"]]


def publish(w, *, people) -> Campaign:
    campaign = w["campaign"]
    for person in people:
        commune = person.terms.get().branch.commune
        officer = w["officer"] if commune == w["tap_ngai"] else w["neighbour"]
        services.nomination_approve(nomination=nominate(campaign, person, officer), reviewer=w["staff"])
    services.campaign_close(campaign=campaign, user=w["staff"])
    return services.campaign_publish(
        campaign=campaign, decision_number="12-QĐ/TĐTN", decision_date=today(), user=w["staff"]
    )


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


class TestUnitsOnTheDecisionDate:
    def test_the_commune_of_a_branch_on_a_date(self, w):
        branch = w["teo"].terms.get().branch
        assert branch_communes_on([branch], datetime.date(2020, 11, 20))[branch.pk].name == "Xã Hiếu Tử"
        assert branch_communes_on([branch], LAST_DAY)[branch.pk].name == "Xã Hiếu Tử"
        assert branch_communes_on([branch], REFORM_DAY)[branch.pk] == w["tap_ngai"]

    def test_2026_commendations_name_the_province_and_commune_of_today(self, client, w):
        campaign = publish(w, people=[w["teo"], *secretaries_of(w["hung_hoa"])])
        commendation = Commendation.objects.get(campaign=campaign, person=w["teo"])
        assert (commendation.commune, commendation.district) == (w["tap_ngai"], None)
        text = CertificateText.of(commendation)
        assert text.body == "Ban Thường vụ Tỉnh đoàn Vĩnh Long"
        assert text.role == "Bí thư Chi đoàn ấp Cây Gòn, xã Tập Ngãi"
        client.force_login(w["officer"])
        pdf = pdf_text(client.get(reverse("awards:commendation_certificate", args=[commendation.pk])))
        assert "BAN THƯỜNG VỤ TỈNH ĐOÀN VĨNH LONG" in pdf and "ấp Cây Gòn, xã Tập Ngãi" in pdf
        assert "huyện" not in pdf
        response = client.get(reverse("awards:commendation_list", args=[campaign.pk]))
        assert [g["unit"].name for g in response.context["groups"]] == ["Xã Hùng Hòa", "Xã Tập Ngãi"]
        # The certificate's words, on the web as on paper.
        assert f'<div class="small">{text.role}</div>' in response.content.decode()
        export = client.get(reverse("awards:commendation_export", args=[campaign.pk]))
        assert export.status_code == 200

    def test_the_2020_commendation_still_names_tra_vinh_and_its_district(self, client, w):
        commendation = Commendation.objects.get(campaign=w["decided"])
        text = CertificateText.of(commendation)
        assert text.body == "Ban Thường vụ Tỉnh đoàn Trà Vinh"
        assert text.role == "Bí thư Chi đoàn ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần"
        login_verified(client, w["staff"])  # today's staff read their predecessor's decisions
        response = client.get(reverse("awards:commendation_list", args=[w["decided"].pk]))
        assert [g["unit"].name for g in response.context["groups"]] == ["Huyện Tiểu Cần"]
        html = response.content.decode()
        assert f'<div class="small">{text.role}</div>' in html and "Tập Ngãi" not in html
        detail = client.get(reverse("awards:commendation_detail", args=[commendation.pk])).content.decode()
        assert "Xã Hiếu Tử" in detail and "Huyện Tiểu Cần" in detail
        # The nomination and the review page too: the commune of the nomination window.
        for url in (
            reverse("awards:nomination_detail", args=[commendation.nomination_id]),
            reverse("awards:campaign_review", args=[w["decided"].pk]),
        ):
            html = client.get(url).content.decode()
            assert "Xã Hiếu Tử" in html and "Tập Ngãi" not in html, url

    def test_the_published_list_costs_the_same_for_more_communes(
        self, client, w, django_assert_max_num_queries
    ):
        campaign = publish(w, people=[w["teo"]])
        login_verified(client, w["staff"])
        url = reverse("awards:commendation_list", args=[campaign.pk])
        with django_assert_max_num_queries(20) as few:
            client.get(url)
        for n in range(5):
            commune = CommuneFactory(
                code=f"29{500 + n}",
                name=f"Xã Mới {n}",
                province=w["vinh_long"],
                district=None,
                began_on=REFORM_DAY,
            )
            person = person_with_term(branch=BranchFactory(commune=commune))
            nomination = Nomination.objects.create(
                campaign=campaign,
                person=person,
                branch=person.terms.get().branch,
                commune=commune,
                province=w["vinh_long"],
                summary=SUMMARY,
                report="x",
                status=Nomination.Status.APPROVED,
            )
            Commendation.objects.create(
                nomination=nomination,
                campaign=campaign,
                person=person,
                branch=nomination.branch,
                commune=commune,
                province=w["vinh_long"],
                year=campaign.year,
            )
        with django_assert_max_num_queries(len(few)):
            response = client.get(url)
        assert len(response.context["groups"]) == 6


class TestRevoked:
    def test_the_commune_is_told_and_the_province_counts_it(self, client, w):
        """A revoked commendation is said on the nomination and on the campaign's page to the commune that
        nominated, with its day and reason; the province's table counts it apart from the approved."""
        campaign = publish(w, people=[w["teo"], *secretaries_of(w["hung_hoa"])])
        commendation = Commendation.objects.get(campaign=campaign, person=w["teo"])
        reason = "Kê khai thành tích không đúng sự thật."
        services.commendation_revoke(
            commendation=commendation, revoked_on=today(), reason=reason, user=w["staff"]
        )
        day = today().strftime("%d/%m/%Y")
        login_verified(client, w["officer"])
        page = client.get(commendation.nomination.get_absolute_url()).content.decode()
        assert f"Tuyên dương đã bị thu hồi ngày {day}." in page and reason in page
        # QA: the details card's status read "Đã duyệt" alone under the header's "Đã thu hồi".
        status = page[page.index('id="nomination-status"') :]
        status = re.sub(r"<[^>]+>|\s+", " ", status[status.index(">") + 1 : status.index("</dd>")]).split()
        assert " ".join(status) == f"Đã duyệt · Đã thu hồi {day}"
        response = client.get(campaign.get_absolute_url())
        [row] = [n for n in response.context["nominations"] if n.person_id == w["teo"].pk]
        assert row.revocation == commendation
        html = response.content.decode()
        assert "Đã thu hồi" in html and f"Thu hồi ngày {day}" in html and reason in html
        login_verified(client, w["staff"])
        response = client.get(campaign.get_absolute_url())
        totals = response.context["quota_totals"]
        assert (totals["approved"], totals["revoked"]) == (1 + len(secretaries_of(w["hung_hoa"])), 1)
        tap_ngai = next(r for r in response.context["quota_rows"] if r.unit == w["tap_ngai"])
        assert (tap_ngai.approved, tap_ngai.revoked) == (1, 1)
        assert '<th class="text-end">Đã thu hồi</th>' in response.content.decode()
