"""Campaign pages: the list, the campaign, the form with its district quotas, and the steps open → review →
decided through the views, with the illegal ones refused (a message, the state unchanged)."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.models import Campaign, Commendation, Nomination, Quota
from tests.conftest import assert_counts_did_not_grow
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def campaign_data(**overrides) -> dict:
    year = timezone.localdate().year + 2
    return {
        "year": str(year),
        "title": f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {year}",
        "opens_on": f"01/09/{year}",
        "closes_on": f"15/10/{year}",
        "default_quota": "3",
        "minimum_rating": "tot",
        "criteria": "Hoàn thành tốt nhiệm vụ; có mô hình hay.",
        **overrides,
    }


def quota_key(district) -> str:
    return f"quota_{district.pk}"


@pytest.fixture
def districts(world):
    return world["tieu_can"].commune.district, world["cang_long"].commune.district


# ---------------------------------------------------------------------------------------------------
# List


class TestList:
    def test_staff_see_their_campaigns_newest_first_with_counts(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("awards:campaign_list"))
        assert response.status_code == 200
        campaigns = list(response.context["campaigns"])
        assert [c.year for c in campaigns] == sorted((c.year for c in campaigns), reverse=True)
        assert {c.pk for c in campaigns} == {
            world["campaign"].pk,
            world["decided_campaign"].pk,
            world["draft_campaign"].pk,
        }
        current = next(c for c in campaigns if c.pk == world["campaign"].pk)
        assert (current.sent_count, current.waiting_count, current.approved_count) == (2, 2, 0)
        decided = next(c for c in campaigns if c.pk == world["decided_campaign"].pk)
        assert (decided.sent_count, decided.approved_count) == (2, 2)
        html = response.content.decode()
        assert reverse("awards:campaign_create") in html
        assert reverse("awards:statistics") in html
        assert "125/QĐ-TĐTN" in html and "20/11/2020" in html
        assert world["campaign"].opens_on.strftime("%d/%m/%Y") in html

    def test_officer_sees_no_draft_and_their_districts_quota_use(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        response = client.get(reverse("awards:campaign_list"))
        campaigns = {c.pk: c for c in response.context["campaigns"]}
        assert world["draft_campaign"].pk not in campaigns
        current = campaigns[world["campaign"].pk]
        assert (current.unit_quota, current.unit_used, current.unit_left) == (2, 1, 1)
        html = response.content.decode()
        assert reverse("awards:campaign_create") not in html
        assert reverse("awards:statistics") in html
        # On a phone, whose table hides the window's column, the deadline sits under the title.
        closes = world["campaign"].closes_on.strftime("%d/%m/%Y")
        assert re.search(rf"data-deadline>\s*Hạn cuối {closes} \(", html)

    def test_override_quota_shows_for_the_officer(self, client, tieu_can_officer, world, districts):
        Quota.objects.create(campaign=world["campaign"], district=districts[0], quota=5)
        client.force_login(tieu_can_officer)
        response = client.get(reverse("awards:campaign_list"))
        current = next(c for c in response.context["campaigns"] if c.pk == world["campaign"].pk)
        assert (current.unit_quota, current.unit_left) == (5, 4)

    def test_administrator_sees_the_province(self, client, administrator, world):
        login_verified(client, administrator)
        html = client.get(reverse("awards:campaign_list")).content.decode()
        assert "Tỉnh Trà Vinh" in html

    def test_empty_state_invites_staff_to_create(self, client, vinh_long_staff, world):
        login_verified(client, vinh_long_staff)
        response = client.get(reverse("awards:campaign_list"))
        assert not response.context["campaigns"]
        assert 'class="empty-state"' in response.content.decode()
        assert reverse("awards:campaign_create") in response.content.decode()


# ---------------------------------------------------------------------------------------------------
# Create and edit


class TestForm:
    def test_staff_create_with_an_override_quota(self, client, tra_vinh_staff, world, districts):
        tieu_can, cang_long = districts
        login_verified(client, tra_vinh_staff)
        form = client.get(reverse("awards:campaign_create")).context["form"]
        assert {quota_key(tieu_can), quota_key(cang_long)} <= set(form.fields)
        assert "province" not in form.fields
        data = campaign_data(**{quota_key(tieu_can): "", quota_key(cang_long): "5"})
        response = client.post(reverse("awards:campaign_create"), data)
        campaign = Campaign.objects.get(year=int(data["year"]))
        assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
        assert campaign.province == tieu_can.province and campaign.status == Campaign.Status.DRAFT
        assert (campaign.opens_on, campaign.closes_on) == (
            datetime.date(campaign.year, 9, 1),
            datetime.date(campaign.year, 10, 15),
        )
        assert campaign.minimum_rating == "tot" and campaign.created_by == tra_vinh_staff
        assert dict(campaign.quotas.values_list("district", "quota")) == {cang_long.pk: 5}
        assert campaign.title in messages_of(response)[0]

    def test_one_word_for_the_campaigns_criteria_and_its_deadline(self, client, tra_vinh_staff, world):
        """Tiêu chuẩn on the form as on the campaign's page (tiêu chí are the assessments'); the open step's
        confirmation says hạn cuối, as the form and the page do."""
        login_verified(client, tra_vinh_staff)
        form = client.get(reverse("awards:campaign_create")).context["form"]
        assert form["criteria"].label == "Tiêu chuẩn"
        page = client.get(world["draft_campaign"].get_absolute_url()).content.decode()
        assert "Tiêu chuẩn" in page and "đến hạn cuối nhận đề nghị" in page
        assert "hạn chót" not in page

    def test_administrator_chooses_the_province_first(self, client, administrator, world, districts):
        tieu_can, cang_long = districts
        login_verified(client, administrator)
        url = reverse("awards:campaign_create")
        first = client.get(url)
        assert first.context_data["province_form"] is not None and "form" not in first.context_data
        chosen = f"{url}?province={tieu_can.province_id}"
        form = client.get(chosen).context["form"]
        assert quota_key(cang_long) in form.fields
        assert quota_key(world["vinh_long"].commune.district) not in form.fields
        response = client.post(chosen, campaign_data(**{quota_key(tieu_can): "1"}))
        assert response.status_code == 302
        campaign = Campaign.objects.get(year=int(campaign_data()["year"]))
        assert campaign.province_id == tieu_can.province_id and campaign.quotas.get().quota == 1

    def test_an_unknown_province_cannot_be_chosen(self, client, administrator, world):
        login_verified(client, administrator)
        response = client.get(reverse("awards:campaign_create") + "?province=999999")
        assert response.context["province_form"].errors

    def test_the_offered_year_is_free_and_the_title_follows_it(
        self, client, tra_vinh_staff, vinh_long_staff, world
    ):
        """Trà Vinh has this year's and next year's campaigns: the year after is offered, titled as the
        campaigns before it. A title left as offered follows the year chosen instead."""
        this_year = timezone.localdate().year
        login_verified(client, tra_vinh_staff)
        form = client.get(reverse("awards:campaign_create")).context["form"]
        assert (form.initial["year"], form.initial["title"]) == (
            this_year + 2,
            f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {this_year + 2}",
        )
        # The browser follows the year too (portal.js).
        assert form.fields["title"].widget.attrs["data-follows-year"] == (
            "Tuyên dương Bí thư Chi đoàn tiêu biểu năm {year}"
        )
        login_verified(client, vinh_long_staff)
        form = client.get(reverse("awards:campaign_create")).context["form"]
        assert form.initial["year"] == this_year
        next_year = this_year + 1
        data = campaign_data(
            year=str(next_year),
            title=form.initial["title"],
            opens_on=f"01/09/{next_year}",
            closes_on=f"15/10/{next_year}",
        )
        assert client.post(reverse("awards:campaign_create"), data).status_code == 302
        campaign = Campaign.objects.get(province=vinh_long_staff.province, year=next_year)
        assert campaign.title == f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {next_year}"

    def test_duplicate_year_is_shown_next_to_the_year(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        count = Campaign.objects.count()
        data = campaign_data(year=str(world["campaign"].year), title="Trùng năm")
        response = client.post(reverse("awards:campaign_create"), data)
        assert response.status_code == 200
        assert response.context["form"].errors["year"]
        assert Campaign.objects.count() == count
        assert 'value="Trùng năm"' in response.content.decode()

    def test_the_same_year_in_another_province_is_fine(self, client, vinh_long_staff, world):
        login_verified(client, vinh_long_staff)
        year = world["campaign"].year
        today = timezone.localdate()
        response = client.post(
            reverse("awards:campaign_create"),
            campaign_data(
                year=str(year),
                opens_on=f"{world['campaign'].opens_on:%d/%m/%Y}",
                closes_on=f"{today + datetime.timedelta(days=10):%d/%m/%Y}",
            ),
        )
        assert response.status_code == 302

    def test_closing_before_opening_is_shown_next_to_the_closing_date(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        year = campaign_data()["year"]
        response = client.post(
            reverse("awards:campaign_create"),
            campaign_data(opens_on=f"15/10/{year}", closes_on=f"01/09/{year}"),
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors["closes_on"] and not form.non_field_errors()
        assert not Campaign.objects.filter(year=int(year)).exists()
        assert f'value="01/09/{year}"' in response.content.decode()

    def test_a_deadline_already_passed_is_refused_beside_it(self, client, tra_vinh_staff, world):
        """Created with its deadline passed, a campaign would be opened in name and take no nomination: the
        rule of services.deadline_problem, as the edit of an open campaign has it."""
        login_verified(client, tra_vinh_staff)
        today = timezone.localdate()
        year = today.year - 1
        response = client.post(
            reverse("awards:campaign_create"),
            campaign_data(year=str(year), opens_on=f"01/01/{today.year}", closes_on=f"02/01/{today.year}"),
        )
        assert response.status_code == 200
        assert response.context["form"].errors["closes_on"] == [
            f"Hạn cuối 02/01/{today.year} đã qua (hôm nay là {today:%d/%m/%Y}): "
            "hạn cuối nhận đề nghị phải từ hôm nay trở đi."
        ]
        assert not Campaign.objects.filter(year=year, province=world["campaign"].province).exists()

    def test_a_year_far_off_a_window_years_away_and_a_huge_quota_are_refused_beside_their_fields(
        self, client, tra_vinh_staff, world
    ):
        login_verified(client, tra_vinh_staff)
        year = int(campaign_data()["year"])
        far = client.post(
            reverse("awards:campaign_create"), campaign_data(year="1900", default_quota="99999")
        )
        errors = far.context["form"].errors
        assert errors["year"] == [f"Năm của đợt từ 2000 đến {year}."]
        assert errors["default_quota"]
        away = client.post(
            reverse("awards:campaign_create"),
            campaign_data(opens_on=f"01/01/{year + 3}", closes_on=f"31/01/{year + 3}"),
        )
        assert away.context["form"].errors["opens_on"] == [
            f"Đợt tuyên dương năm {year} chỉ nhận đề nghị trong năm {year} hoặc năm {year + 1}."
        ]
        assert not Campaign.objects.filter(year__in=[1900, year]).exists()

    def test_edit_changes_the_campaign_and_its_quotas(self, client, tra_vinh_staff, world, districts):
        tieu_can, cang_long = districts
        campaign = world["campaign"]
        Quota.objects.create(campaign=campaign, district=cang_long, quota=4)
        login_verified(client, tra_vinh_staff)
        url = reverse("awards:campaign_update", args=[campaign.pk])
        form = client.get(url).context["form"]
        assert form[quota_key(cang_long)].value() == 4 and form[quota_key(tieu_can)].value() is None
        data = campaign_data(
            year=str(campaign.year),
            title="Tên mới",
            opens_on=campaign.opens_on.strftime("%d/%m/%Y"),
            closes_on=(campaign.closes_on + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
            default_quota="2",
            minimum_rating="",
            **{quota_key(tieu_can): "3", quota_key(cang_long): ""},
        )
        response = client.post(url, data)
        assert response.status_code == 302
        campaign.refresh_from_db()
        assert campaign.title == "Tên mới" and campaign.minimum_rating == ""
        assert campaign.status == Campaign.Status.OPEN  # editing does not move the state
        assert dict(campaign.quotas.values_list("district", "quota")) == {tieu_can.pk: 3}
        # The campaign's history says which quotas changed (they are rows of their own).
        reason = campaign.history.latest().history_change_reason
        assert reason.startswith("Chỉ tiêu: ")
        assert "Huyện Tiểu Cần 2 → 3" in reason and "Huyện Càng Long 4 → 2" in reason
        # Stored in the writer's language, read in the reader's (QA: "Chỉ tiêu: …" on the English page).
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        rows = client.get(campaign.get_absolute_url()).context["history"]
        assert rows[0].reason == reason.replace("Chỉ tiêu: ", "Quotas: ", 1)

    def test_criteria_saved_unchanged_are_not_a_change(self, client, tra_vinh_staff, world):
        """The criteria are multi-line: posted with the browser's CRLF, saved unchanged they stay as stored
        (LF), and the history records no change of them."""
        campaign = world["campaign"]
        campaign.criteria = "Hoàn thành tốt nhiệm vụ;\ncó mô hình hay."
        campaign.save()  # with its history record, as the seeded and imported texts are stored
        login_verified(client, tra_vinh_staff)
        url = reverse("awards:campaign_update", args=[campaign.pk])
        data = campaign_data(
            year=str(campaign.year),
            title="Tên mới",
            opens_on=campaign.opens_on.strftime("%d/%m/%Y"),
            closes_on=campaign.closes_on.strftime("%d/%m/%Y"),
            default_quota=str(campaign.default_quota),
            minimum_rating=campaign.minimum_rating,
            criteria="Hoàn thành tốt nhiệm vụ;\r\ncó mô hình hay.",
            loaded_version=str(campaign.version),
        )
        assert client.post(url, data).status_code == 302
        campaign.refresh_from_db()
        assert campaign.title == "Tên mới"
        assert campaign.criteria == "Hoàn thành tốt nhiệm vụ;\ncó mô hình hay."
        newest = campaign.history.order_by("-history_date", "-history_id").first()
        assert "criteria" not in [c.field for c in newest.diff_against(newest.prev_record).changes]

    def test_an_open_campaigns_deadline_is_not_moved_into_the_past(self, client, tra_vinh_staff, world):
        """It would stay open in name and take no nomination: closing is its own step. A past deadline
        kept as it was does not stop an edit of the rest."""
        from django.utils import timezone

        campaign = world["campaign"]
        login_verified(client, tra_vinh_staff)
        url = reverse("awards:campaign_update", args=[campaign.pk])
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        data = campaign_data(
            year=str(campaign.year),
            title=campaign.title,
            opens_on=campaign.opens_on.strftime("%d/%m/%Y"),
            closes_on=yesterday.strftime("%d/%m/%Y"),
            default_quota=str(campaign.default_quota),
            minimum_rating="",
        )
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors["closes_on"] == [
            "Ngày này đã qua. Để dừng nhận đề nghị ngay, hãy đóng đợt từ trang của đợt."
        ]
        campaign.refresh_from_db()
        assert campaign.closes_on != yesterday

    def test_an_open_campaigns_first_day_does_not_move_past_what_was_sent_nor_today(
        self, client, tra_vinh_staff, world
    ):
        """Tiểu Cần sent a nomination today: nominations cannot open after today now; a day before it is
        fine. Opened ahead of its window (nothing sent yet), it moves later as a draft's does."""
        campaign = world["campaign"]
        Nomination.objects.filter(campaign=campaign).update(submitted_at=timezone.now())
        login_verified(client, tra_vinh_staff)
        url = reverse("awards:campaign_update", args=[campaign.pk])

        def post(opens_on):
            campaign.refresh_from_db()
            data = campaign_data(
                year=str(campaign.year),
                title=campaign.title,
                opens_on=opens_on.strftime("%d/%m/%Y"),
                closes_on=campaign.closes_on.strftime("%d/%m/%Y"),
                default_quota=str(campaign.default_quota),
                minimum_rating="",
                loaded_version=str(campaign.version),
            )
            return client.post(url, data)

        later = timezone.localdate() + datetime.timedelta(days=2)
        response = post(later)
        assert response.status_code == 200
        today_text = timezone.localdate().strftime("%d/%m/%Y")
        assert response.context["form"].errors["opens_on"] == [
            f"Đã có đề nghị được gửi ngày {today_text}: không thể bắt đầu nhận đề nghị sau ngày ấy."
        ]
        assert post(timezone.localdate() - datetime.timedelta(days=1)).status_code == 302
        # Nothing sent, the window begun: not past today either.
        Nomination.objects.filter(campaign=campaign).update(submitted_at=None)
        response = post(later)
        assert response.context["form"].errors["opens_on"][0].startswith("Đã nhận đề nghị từ ngày")
        # Not begun yet: it moves.
        Campaign.objects.filter(pk=campaign.pk).update(opens_on=later)
        assert post(later + datetime.timedelta(days=1)).status_code == 302

    def test_opened_ahead_of_its_first_day_it_says_from_when_and_offers_no_sending(
        self, client, tieu_can_officer, world
    ):
        campaign = world["campaign"]
        opens = timezone.localdate() + datetime.timedelta(days=2)
        Campaign.objects.filter(pk=campaign.pk).update(opens_on=opens)
        login_verified(client, tieu_can_officer)
        html = client.get(campaign.get_absolute_url()).content.decode()
        assert f"Sẽ nhận đề nghị từ {opens.strftime('%d/%m/%Y')}." in html
        assert "Đang nhận đề nghị." not in html
        assert reverse("awards:nomination_create", args=[campaign.pk]) not in html
        form = client.get(reverse("awards:nomination_create", args=[campaign.pk]))
        assert 'name="submit"' not in form.content.decode() and "data-window-before" in form.content.decode()
        draft = services.nomination_withdraw(nomination=world["tieu_can_nomination"], user=tieu_can_officer)
        Campaign.objects.filter(pk=campaign.pk).update(opens_on=opens)
        edit = client.get(reverse("awards:nomination_update", args=[draft.pk])).content.decode()
        assert 'name="submit"' not in edit
        page = client.get(draft.get_absolute_url()).content.decode()
        assert reverse("awards:nomination_submit", args=[draft.pk]) not in page

    def test_past_its_deadline_an_open_campaign_offers_no_nomination(self, client, tieu_can_officer, world):
        from django.utils import timezone

        campaign = world["campaign"]
        type(campaign).objects.filter(pk=campaign.pk).update(
            closes_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        client.force_login(tieu_can_officer)
        page = client.get(campaign.get_absolute_url()).content.decode()
        assert "data-deadline-passed" in page
        assert reverse("awards:nomination_create", args=[campaign.pk]) not in page

    @pytest.mark.parametrize(
        ("refusal", "field"),
        [(ValidationError({"year": "Năm không hợp lệ"}), "year"), (ValidationError("Bị từ chối"), None)],
    )
    def test_a_service_refusal_is_shown_on_the_form(
        self, client, tra_vinh_staff, world, monkeypatch, refusal, field
    ):
        def refuse(**kwargs):
            raise refusal

        monkeypatch.setattr(services, "campaign_save", refuse)
        login_verified(client, tra_vinh_staff)
        response = client.post(reverse("awards:campaign_create"), campaign_data())
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors[field or "__all__"] == refusal.messages
        assert refusal.messages[0] in response.content.decode()

    def test_a_decided_campaign_is_locked(self, client, tra_vinh_staff, world):
        decided = world["decided_campaign"]
        login_verified(client, tra_vinh_staff)
        url = reverse("awards:campaign_update", args=[decided.pk])
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == decided.get_absolute_url()
        assert messages_of(response)
        response = client.post(url, campaign_data(year="2020", title="Đổi tên"))
        assert response.status_code == 302
        decided.refresh_from_db()
        assert decided.title != "Đổi tên"

    def test_district_officers_cannot_create_or_edit(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        assert client.get(reverse("awards:campaign_create")).status_code == 403
        assert client.post(reverse("awards:campaign_create"), campaign_data()).status_code == 403
        url = reverse("awards:campaign_update", args=[world["campaign"].pk])
        assert client.post(url, campaign_data(title="X")).status_code == 403
        assert not Campaign.objects.filter(title="X").exists()

    def test_other_province_staff_cannot_edit(self, client, vinh_long_staff, world):
        login_verified(client, vinh_long_staff)
        url = reverse("awards:campaign_update", args=[world["campaign"].pk])
        assert client.post(url, campaign_data(title="X")).status_code == 404


# ---------------------------------------------------------------------------------------------------
# The campaign's page


class TestDetail:
    def test_staff_see_the_quota_use_per_district_and_the_actions(
        self, client, tra_vinh_staff, world, districts
    ):
        campaign = world["campaign"]
        login_verified(client, tra_vinh_staff)
        response = client.get(campaign.get_absolute_url())
        rows = {r.unit.pk: r for r in response.context["quota_rows"]}
        assert (rows[districts[0].pk].quota, rows[districts[0].pk].submitted, rows[districts[0].pk].left) == (
            2,
            1,
            1,
        )
        assert response.context["quota_totals"]["submitted"] == 2
        html = response.content.decode()
        review = reverse("awards:campaign_review", args=[campaign.pk])
        assert f"{review}?district={districts[0].pk}" in html
        assert reverse("awards:campaign_close", args=[campaign.pk]) in html
        assert reverse("awards:campaign_update", args=[campaign.pk]) in html
        assert reverse("awards:campaign_publish", args=[campaign.pk]) not in html  # not under review yet
        assert reverse("awards:campaign_open", args=[campaign.pk]) not in html
        assert 'data-bs-target="#confirm-close"' in html and 'id="confirm-close"' in html
        assert response.context["window_note"] in html
        assert "20" in response.context["window_note"]

    def test_printed_with_the_unit_and_the_day_without_the_quota_link(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        html = client.get(world["campaign"].get_absolute_url()).content.decode()
        assert "data-report-scope" in html and "data-report-date" in html
        quotas = reverse("awards:campaign_quotas", args=[world["campaign"].pk])
        wrapped = rf'<(?:div|a) class="([^"]*)"[^>]*>\s*<a[^>]*href="{quotas}"'
        links = re.findall(rf'{wrapped}|<a class="([^"]*)"\s+href="{quotas}"', html)
        assert links and all("d-print-none" in "".join(classes) for classes in links)

    def test_an_open_campaign_is_not_closed_before_its_window_opens(self, client, tra_vinh_staff, world):
        """Opened ahead of its window: closing it then would give a period ending before it began, with no
        unit able to have nominated. Not offered, and refused, with the day it opens."""
        campaign = world["campaign"]
        today = campaign.opens_on - datetime.timedelta(days=3)
        with pytest.raises(ValidationError) as refused:
            services.campaign_close(campaign=campaign, user=tra_vinh_staff, today=today)
        assert (
            refused.value.messages == [services.close_refusal(campaign, today)]
            and campaign.opens_on.strftime("%d/%m/%Y") in refused.value.messages[0]
        )
        campaign.refresh_from_db()
        assert campaign.is_open
        Campaign.objects.filter(pk=campaign.pk).update(
            opens_on=timezone.localdate() + datetime.timedelta(days=3)
        )
        login_verified(client, tra_vinh_staff)
        html = client.get(campaign.get_absolute_url()).content.decode()
        assert 'data-bs-target="#confirm-close"' not in html and 'id="confirm-close"' not in html
        assert "data-close-refusal" in html and "Thời gian nhận đề nghị bắt đầu từ" in html
        client.post(reverse("awards:campaign_close", args=[campaign.pk]))
        campaign.refresh_from_db()
        assert campaign.is_open

    def test_under_review_offers_publishing_and_reopening(self, client, tra_vinh_staff, world):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        html = client.get(campaign.get_absolute_url()).content.decode()
        assert reverse("awards:campaign_publish", args=[campaign.pk]) in html
        assert reverse("awards:campaign_open", args=[campaign.pk]) in html
        assert reverse("awards:campaign_close", args=[campaign.pk]) not in html

    def test_decided_links_to_the_published_list_and_export(self, client, tra_vinh_staff, world):
        decided = world["decided_campaign"]
        login_verified(client, tra_vinh_staff)
        html = client.get(decided.get_absolute_url()).content.decode()
        assert reverse("awards:commendation_list", args=[decided.pk]) in html
        assert reverse("awards:commendation_export", args=[decided.pk]) in html
        assert reverse("awards:campaign_update", args=[decided.pk]) not in html
        assert "125/QĐ-TĐTN" in html and "20/11/2020" in html
        # What was decided, not places left to fill nor drafts of a campaign that is over.
        table = html[html.index('class="table table-sm table-hover align-middle quota-use"') :]
        table = table[: table.index("</table>")]
        assert "Đã duyệt" in table and "Chỉ tiêu còn lại" not in table and ">Nháp<" not in table

    def test_officer_sees_only_their_districts_nominations(self, client, cang_long_officer, world):
        campaign = world["campaign"]
        client.force_login(cang_long_officer)
        response = client.get(campaign.get_absolute_url())
        assert list(response.context["nominations"]) == [world["cang_long_nomination"]]
        assert [r.unit.code for r in response.context["quota_rows"]] == ["844"]
        html = response.content.decode()
        assert "Lê Thị Hồng Nhung" in html and "Nguyễn Văn Tèo" not in html
        assert reverse("awards:nomination_detail", args=[world["cang_long_nomination"].pk]) in html
        assert reverse("awards:nomination_detail", args=[world["tieu_can_nomination"].pk]) not in html
        assert reverse("awards:nomination_create", args=[campaign.pk]) in html
        assert reverse("awards:campaign_review", args=[campaign.pk]) not in html
        assert reverse("awards:campaign_close", args=[campaign.pk]) not in html
        own = response.context["own_use"]
        assert (own.used, own.quota, own.left) == (1, 2, 1)

    def test_officer_cannot_nominate_once_closed(self, client, tieu_can_officer, tra_vinh_staff, world):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        client.force_login(tieu_can_officer)
        html = client.get(campaign.get_absolute_url()).content.decode()
        assert reverse("awards:nomination_create", args=[campaign.pk]) not in html

    def test_history_shows_who_changed_the_campaign(self, client, tra_vinh_staff, world):
        services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.get(world["campaign"].get_absolute_url())
        assert len(response.context["history"]) >= 2


# ---------------------------------------------------------------------------------------------------
# Steps


def step(client, name, campaign):
    return client.post(reverse(f"awards:{name}", args=[campaign.pk]))


class TestSteps:
    def test_open_close_and_reopen(self, client, tra_vinh_staff, world):
        draft = world["draft_campaign"]
        Campaign.objects.filter(pk=draft.pk).update(opens_on=timezone.localdate())  # its window begun
        login_verified(client, tra_vinh_staff)
        # Closing before the deadline says so in its confirmation.
        page = client.get(world["campaign"].get_absolute_url()).content.decode()
        closes = world["campaign"].closes_on.strftime("%d/%m/%Y")
        assert re.search(rf"data-modal-note>Hạn cuối là {closes} \(.*\): đóng lúc này là thôi nhận", page)
        response = step(client, "campaign_open", draft)
        assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
        draft.refresh_from_db()
        assert draft.status == Campaign.Status.OPEN
        step(client, "campaign_close", draft)
        draft.refresh_from_db()
        assert draft.status == Campaign.Status.REVIEW
        step(client, "campaign_open", draft)
        draft.refresh_from_db()
        assert draft.status == Campaign.Status.OPEN

    def test_a_campaign_whose_deadline_passed_is_not_opened(self, client, tra_vinh_staff, world):
        draft = world["draft_campaign"]
        today = timezone.localdate()
        Campaign.objects.filter(pk=draft.pk).update(
            opens_on=today - datetime.timedelta(days=10), closes_on=today - datetime.timedelta(days=1)
        )
        login_verified(client, tra_vinh_staff)
        page = client.get(draft.get_absolute_url()).content.decode()
        # Not offered: the page says why instead.
        assert 'data-bs-target="#confirm-open"' not in page and "data-open-refusal" in page
        response = step(client, "campaign_open", draft)
        assert response["Location"] == draft.get_absolute_url()
        yesterday = today - datetime.timedelta(days=1)
        assert messages_of(response) == [
            f"Hạn cuối {yesterday:%d/%m/%Y} đã qua (hôm nay là {today:%d/%m/%Y}): hạn cuối nhận đề nghị phải "
            "từ hôm nay trở đi. Hãy sửa hạn cuối trong biểu mẫu của đợt rồi mở nhận đề nghị."
        ]
        draft.refresh_from_db()
        assert draft.status == Campaign.Status.DRAFT

    @pytest.mark.parametrize(
        ("action", "key"),
        [
            ("campaign_close", "draft_campaign"),
            ("campaign_open", "campaign"),
            ("campaign_open", "decided_campaign"),
            ("campaign_close", "decided_campaign"),
        ],
    )
    def test_illegal_steps_are_refused_with_a_message(self, client, tra_vinh_staff, world, action, key):
        campaign = world[key]
        before = campaign.status
        login_verified(client, tra_vinh_staff)
        response = step(client, action, campaign)
        assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
        campaign.refresh_from_db()
        assert campaign.status == before
        [message] = get_messages(response.wsgi_request)
        assert message.level_tag == "error"

    def test_steps_are_post_only_and_for_staff(self, client, tieu_can_officer, tra_vinh_staff, world):
        campaign = world["campaign"]
        client.force_login(tieu_can_officer)
        assert step(client, "campaign_close", campaign).status_code == 403
        assert step(client, "campaign_open", world["draft_campaign"]).status_code == 404
        login_verified(client, tra_vinh_staff)
        assert client.get(reverse("awards:campaign_close", args=[campaign.pk])).status_code == 405
        assert client.get(reverse("awards:campaign_open", args=[campaign.pk])).status_code == 405
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.OPEN


def today_text() -> str:
    """Today as the decision form takes it, read when a test needs it (a run may cross midnight)."""
    return f"{timezone.localdate():%d/%m/%Y}"


class TestPublish:
    def url(self, campaign):
        return reverse("awards:campaign_publish", args=[campaign.pk])

    def test_form_shows_the_summary_and_the_warning(self, client, tra_vinh_staff, world):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        services.nomination_approve(nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.get(self.url(campaign))
        assert response.status_code == 200
        assert response.context["form"]["decision_date"].value() == timezone.localdate()
        totals = response.context["quota_totals"]
        assert (totals["approved"], totals["submitted"]) == (1, 1)
        html = response.content.decode()
        assert "alert-danger" in html
        assert timezone.localdate().strftime("%d/%m/%Y") in html

    def test_refused_while_nominations_wait(self, client, tra_vinh_staff, world):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        services.nomination_approve(nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.post(self.url(campaign), {"decision_number": "9/QĐ", "decision_date": today_text()})
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.REVIEW and not campaign.commendations.exists()
        assert 'value="9/QĐ"' in response.content.decode()

    def test_refused_when_nothing_is_approved(self, client, tra_vinh_staff, world):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        for key in ("tieu_can_nomination", "cang_long_nomination"):
            services.nomination_reject(nomination=world[key], reviewer=tra_vinh_staff, reason="Chưa đủ")
        login_verified(client, tra_vinh_staff)
        response = client.post(self.url(campaign), {"decision_number": "9/QĐ", "decision_date": today_text()})
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.REVIEW

    def test_refused_while_open(self, client, tra_vinh_staff, world):
        campaign = world["campaign"]
        for key in ("tieu_can_nomination", "cang_long_nomination"):
            services.nomination_approve(nomination=world[key], reviewer=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.post(self.url(campaign), {"decision_number": "9/QĐ", "decision_date": today_text()})
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.OPEN and not campaign.commendations.exists()

    def test_an_open_campaigns_form_gives_no_range_of_days_not_yet_begun(self, client, tra_vinh_staff, world):
        """QA run qa8: "Từ ngày 29/12/2026 đến hôm nay" on 07/12/2026, the campaign still open."""
        campaign = world["campaign"]
        assert campaign.status == Campaign.Status.OPEN
        login_verified(client, tra_vinh_staff)
        form = client.get(self.url(campaign)).context["form"]
        assert "đến hôm nay" not in str(form["decision_date"].help_text)

    def test_missing_number_is_shown_next_to_it(self, client, tra_vinh_staff, world):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.post(self.url(campaign), {"decision_number": "", "decision_date": "31/02/2026"})
        form = response.context["form"]
        assert form.errors["decision_number"] and form.errors["decision_date"]

    def test_publish_creates_commendations_and_locks(self, client, tra_vinh_staff, world, districts):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        services.nomination_approve(nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff)
        services.nomination_reject(
            nomination=world["cang_long_nomination"], reviewer=tra_vinh_staff, reason="Thiếu"
        )
        login_verified(client, tra_vinh_staff)
        decision = {"decision_number": "30/QĐ-TĐTN", "decision_date": today_text()}
        # First the confirmation page: the list, the decision line, the certificate preview; nothing is
        # published yet.
        # The date's rule says its first day: the campaign was closed early, today.
        form = client.get(self.url(campaign)).context["form"]
        assert form["decision_date"].help_text == f"Từ ngày {today_text()} đến hôm nay; dd/mm/yyyy."
        response = client.post(self.url(campaign), decision)
        assert response.status_code == 200
        assert [n.person for n in response.context["approved"]] == [world["tieu_can_person"]]
        html = response.content.decode()
        assert "30/QĐ-TĐTN" in html and reverse("awards:campaign_publish_preview", args=[campaign.pk]) in html
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.REVIEW and not campaign.commendations.exists()
        response = client.post(self.url(campaign), {**decision, "confirm": "1"})
        assert response.status_code == 302
        assert response["Location"] == reverse("awards:commendation_list", args=[campaign.pk])
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.DECIDED and campaign.decided_by == tra_vinh_staff
        assert (campaign.decision_number, campaign.decision_date) == (
            "30/QĐ-TĐTN",
            timezone.localdate(),
        )
        commendation = Commendation.objects.get(campaign=campaign)
        assert commendation.person == world["tieu_can_person"] and commendation.year == campaign.year
        # Locked: the form sends back, a post changes nothing, the steps are refused.
        edit = reverse("awards:campaign_update", args=[campaign.pk])
        assert client.get(edit).status_code == 302
        client.post(edit, campaign_data(year=str(campaign.year), title="Sau quyết định"))
        step(client, "campaign_open", campaign)
        campaign.refresh_from_db()
        assert campaign.title != "Sau quyết định" and campaign.status == Campaign.Status.DECIDED
        again = client.get(self.url(campaign))
        assert again.status_code == 302 and Commendation.objects.filter(campaign=campaign).count() == 1

    def test_officers_cannot_publish(self, client, tieu_can_officer, tra_vinh_staff, world):
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        client.force_login(tieu_can_officer)
        response = client.post(self.url(campaign), {"decision_number": "1", "decision_date": today_text()})
        assert response.status_code == 403


# ---------------------------------------------------------------------------------------------------
# Query counts


def grow(world, n):
    """n more districts in Trà Vinh, each with a secretary nominated (submitted) in the open campaign, and
    n more nominations from Tiểu Cần (for its officer's pages)."""
    campaign = world["campaign"]
    province = campaign.province
    tieu_can = world["tieu_can"].commune.district
    for _ in range(n):
        district = DistrictFactory(province=province)
        Quota.objects.create(campaign=campaign, district=district, quota=4)
        for where in (district, tieu_can):
            branch = BranchFactory(commune=CommuneFactory(district=where))
            person = person_with_term(branch=branch)
            Nomination.objects.create(
                campaign=campaign,
                person=person,
                branch=branch,
                district=where,
                province=province,
                summary="Tổ chức tốt phong trào.",
                report="Báo cáo.",
                status=Nomination.Status.SUBMITTED,
            )


PAGES = [
    ("list", lambda w: reverse("awards:campaign_list")),
    ("detail", lambda w: w["campaign"].get_absolute_url()),
]


def test_query_counts_do_not_grow(query_counts, world):
    personas = ["administrator", "tra_vinh_staff", "tieu_can_officer"]
    grow(world, 1)
    small = query_counts(personas, PAGES, world)
    grow(world, 5)
    assert_counts_did_not_grow(small, query_counts(personas, PAGES, world))


@pytest.mark.parametrize("persona", ["administrator", "tra_vinh_staff"])
def test_form_query_count_does_not_grow(persona, as_persona, world, count_queries):
    client = as_persona(persona)
    url = reverse("awards:campaign_update", args=[world["campaign"].pk])
    grow(world, 1)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    grow(world, 5)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_a_draft_within_its_dates_says_it_is_not_opened_yet_because_it_is_a_draft(world):
    """Its dates have come; what keeps nominations out is that the province has not opened it."""
    today = timezone.localdate()
    draft = Campaign(
        province=world["tieu_can"].commune.province,
        year=today.year,
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
        status=Campaign.Status.DRAFT,
    )
    assert draft.window_note(today) == "chưa mở: đợt còn là bản nháp"
