"""The published outputs of a campaign: the list by district (page, print, Excel), a commendation's page,
the portrait, revocation through its form, the person page's section and the first screen's chart.

Scope is proved for every URL and persona in scope_cases_commendations.py (the matrix); here the contents,
the rules and the query counts. The certificate has its own tests (test_certificate.py), and so do the
statistics (test_statistics.py).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services
from awards.models import Commendation, Nomination
from tests.conftest import assert_counts_did_not_grow
from tests.excel import assert_staff_layout, read_export, table_rows
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


def commend(campaign, district, *, name=None, summary="Tổ chức tốt các phong trào của chi đoàn.", **person):
    """A commendation in `campaign` for a new secretary of `district` (made directly, as publishing would)."""
    branch = BranchFactory(commune=CommuneFactory(district=district))
    fields = {"full_name": name} if name else {}
    secretary = person_with_term(branch=branch, **fields, **person)
    nomination = Nomination.objects.create(
        campaign=campaign,
        person=secretary,
        branch=branch,
        district=district,
        province=campaign.province,
        summary=summary,
        report="Báo cáo thành tích.",
        status=Nomination.Status.APPROVED,
    )
    return Commendation.objects.create(
        nomination=nomination,
        campaign=campaign,
        person=secretary,
        branch=branch,
        district=district,
        province=campaign.province,
        year=campaign.year,
    )


REVOKED_ON = D(2021, 3, 1)


def revoke(commendation, user, on=REVOKED_ON, reason="Kê khai thành tích không đúng sự thật."):
    return services.commendation_revoke(commendation=commendation, revoked_on=on, reason=reason, user=user)


def list_url(campaign):
    return reverse("awards:commendation_list", args=[campaign.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------------------------------------------
# The published list


class TestPublishedList:
    def test_grouped_by_district_in_code_order(self, client, tra_vinh_staff, world, tieu_can):
        campaign = world["decided_campaign"]
        commend(campaign, tieu_can, name="Trần Thị Ánh")
        login_verified(client, tra_vinh_staff)
        response = client.get(list_url(campaign))
        assert response.status_code == 200
        groups = response.context["groups"]
        assert [g["unit"].name for g in groups] == ["Huyện Càng Long", "Huyện Tiểu Cần"]
        assert [[c.person.full_name for c in g["entries"]] for g in groups] == [
            ["Lê Thị Hồng Nhung"],
            ["Trần Thị Ánh", "Nguyễn Văn Tèo"],  # by given name, the Vietnamese way
        ]
        assert [g["current"] for g in groups] == [1, 2]
        html = response.content.decode()
        assert "125/QĐ-TĐTN" in html and "20/11/2020" in html
        assert campaign.title in html
        # The position as the certificate and the list attached to the decision word it (position).
        assert "Bí thư Chi đoàn ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần" in html
        assert "Nguyễn Văn Tèo: tổ chức tốt các phong trào của chi đoàn." in html  # the summary
        assert response.context["total"] == 3

    def test_photos_where_there_is_a_portrait_and_a_placeholder_elsewhere(
        self, client, tra_vinh_staff, world
    ):
        login_verified(client, tra_vinh_staff)
        html = client.get(list_url(world["decided_campaign"])).content.decode()
        teo, nhung = world["tieu_can_commendation"], world["cang_long_commendation"]
        assert reverse("awards:commendation_portrait", args=[teo.pk]) in html
        assert reverse("awards:commendation_portrait", args=[nhung.pk]) not in html
        assert "bi-person" in html

    def test_revoked_ones_are_struck_through_with_their_date_and_left_out_of_print(
        self, client, tra_vinh_staff, world
    ):
        teo = revoke(world["tieu_can_commendation"], tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.get(list_url(world["decided_campaign"]))
        html = response.content.decode()
        assert re.findall(r'commendation-entry is-revoked"\s+data-commendation="(\d+)"', html) == [
            str(teo.pk)
        ]
        assert "01/03/2021" in html
        assert "Nguyễn Văn Tèo" in html  # the record stays on the page
        assert response.context["revoked"] == 1
        assert response.context["total"] == 1
        tieu_can = next(g for g in response.context["groups"] if g["unit"].code == "846")
        assert tieu_can["current"] == 0 and len(tieu_can["entries"]) == 1
        # QA: its heading was printed with a 0 and nothing under it; the others' are printed.
        found = re.findall(r'<section class="([^"]*)"\s+data-unit="(\d+)"', html)
        sections = {int(unit): classes.split() for classes, unit in found}
        assert len(sections) == len(response.context["groups"]) > 1
        assert "d-print-none" in sections[tieu_can["unit"].pk]
        assert all("d-print-none" not in c for unit, c in sections.items() if unit != tieu_can["unit"].pk)
        assert "d-print-block" in html  # the printed note on what was left out
        # The notice says what each print holds: the official list keeps the row, marked (official_list).
        assert "không có khi in trang này; danh sách kèm quyết định vẫn giữ dòng của người bị thu hồi" in html
        assert "không in trong danh sách" not in html

    def test_not_published_before_the_decision(self, client, tra_vinh_staff, tieu_can_officer, world):
        for user in (tra_vinh_staff, tieu_can_officer):
            login_verified(client, user)
            for campaign in (world["campaign"], world["draft_campaign"]):
                assert client.get(list_url(campaign)).status_code == 404
                export = reverse("awards:commendation_export", args=[campaign.pk])
                assert client.get(export).status_code == 404

    def test_an_officer_of_another_district_sees_the_whole_province(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        response = client.get(list_url(world["decided_campaign"]))
        assert response.status_code == 200
        names = [c.person.full_name for g in response.context["groups"] for c in g["entries"]]
        assert names == ["Lê Thị Hồng Nhung", "Nguyễn Văn Tèo"]
        # The portrait of Tiểu Cần's secretary is served to Càng Long's officer, as the list shows it …
        portrait = client.get(
            reverse("awards:commendation_portrait", args=[world["tieu_can_commendation"].pk])
        )
        assert portrait.status_code == 200
        assert portrait["Content-Type"] == "image/jpeg"
        b"".join(portrait.streaming_content)
        # … but not the person's own page, which holds personal data.
        assert client.get(world["tieu_can_person"].get_absolute_url()).status_code == 404

    def test_print_and_export_buttons(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        campaign = world["decided_campaign"]
        html = client.get(list_url(campaign)).content.decode()
        assert "data-print" in html
        assert reverse("awards:commendation_export", args=[campaign.pk]) in html
        assert reverse("awards:statistics") in html
        # The print layout (A4 portrait) lives in its own stylesheet, since the CSP allows no inline <style>.
        assert "css/commendation_list.css" in html
        css = (Path(settings.BASE_DIR) / "static" / "css" / "commendation_list.css").read_text()
        assert "@page { size: A4 portrait" in css
        assert "break-inside: avoid" in css

    def test_empty_decision(self, client, tra_vinh_staff, world):
        from awards.models import Campaign

        campaign = Campaign.objects.create(
            province=world["decided_campaign"].province,
            year=2019,
            title="Tuyên dương 2019",
            opens_on=D(2019, 9, 1),
            closes_on=D(2019, 10, 1),
            status=Campaign.Status.DECIDED,
            decision_number="1/QĐ",
            decision_date=D(2019, 11, 1),
        )
        login_verified(client, tra_vinh_staff)
        response = client.get(list_url(campaign))
        assert response.context["groups"] == []
        assert "empty-state" in response.content.decode()


# ---------------------------------------------------------------------------------------------------
# The export


def workbook_rows(response) -> list[list]:
    return [list(row) for row in table_rows(response)]


class TestExport:
    def test_export_is_laid_out_for_sending(self, client, tra_vinh_staff, cang_long_officer, world):
        login_verified(client, tra_vinh_staff)
        url = reverse("awards:commendation_export", args=[world["decided_campaign"].pk])
        title = "Danh sách tuyên dương năm 2020 của Tỉnh Trà Vinh (quyết định 125/QĐ-TĐTN ngày 20/11/2020)"
        assert_staff_layout(
            read_export(client.get(url)), title=title, unit="Tỉnh Trà Vinh", dates=("Ngày quyết định",)
        )
        # Whoever exports it, it is the province's list, by its decision (it named the reader's unit).
        client.force_login(cang_long_officer)
        assert_staff_layout(
            read_export(client.get(url)), title=title, unit="Tỉnh Trà Vinh", dates=("Ngày quyết định",)
        )

    def test_the_page_columns_plus_what_the_statistics_count(
        self, client, cang_long_officer, world, tra_vinh_staff
    ):
        from secretaries.models import Person

        Person.objects.filter(pk=world["tieu_can_person"].pk).update(ethnicity="05", is_party_member=True)
        revoke(world["cang_long_commendation"], tra_vinh_staff)
        client.force_login(cang_long_officer)
        response = client.get(reverse("awards:commendation_export", args=[world["decided_campaign"].pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="tuyen-duong-2020.xlsx"')
        header, *rows = workbook_rows(response)
        assert len(header) == 14
        assert header[12:] == ["Đơn vị khi ghi nhận", "Đơn vị hiện nay"]
        assert len(rows) == 2
        nhung, teo = rows  # Càng Long (844) before Tiểu Cần (846)
        # Before the reform the unit of the time and today's are the same province, named at two levels.
        assert teo[12:] == ["Huyện Tiểu Cần, Tỉnh Trà Vinh", "Xã Hiếu Tử, Tỉnh Trà Vinh"]
        assert teo[0] == "Huyện Tiểu Cần" and teo[1] == "Nguyễn Văn Tèo"
        assert teo[5:7] == ["Ấp Cây Gòn", "Xã Hiếu Tử"]
        assert teo[7] == "Nguyễn Văn Tèo: tổ chức tốt các phong trào của chi đoàn."
        assert teo[8] == "125/QĐ-TĐTN"
        assert teo[9] == datetime.datetime(2020, 11, 20)
        assert teo[10] is None
        assert nhung[10] == datetime.datetime(2021, 3, 1)
        assert nhung[11] == "Kê khai thành tích không đúng sự thật."

    def test_a_branch_waiting_for_its_new_commune_is_said_so_today(self, client, tra_vinh_staff, world):
        """Its commune ended in the 2025 reform and its new one is not chosen yet: "today" it is in none."""
        commune = world["tieu_can_person"].terms.get().branch.commune
        type(commune).objects.filter(pk=commune.pk).update(ended_on=datetime.date(2025, 6, 30))
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("awards:commendation_export", args=[world["decided_campaign"].pk]))
        teo = next(row for row in workbook_rows(response) if row[1] == "Nguyễn Văn Tèo")
        assert teo[13] == "Chờ xác định xã mới (Xã Hiếu Tử đến 30/06/2025), Tỉnh Trà Vinh"

    def test_ethnicity_and_party_membership_only_within_the_readers_scope(
        self, client, cang_long_officer, tra_vinh_staff, world
    ):
        """Personal data stays within scope: Càng Long's officer reads the province's list, and the ethnicity
        and party membership of Càng Long's people only; the province's staff read everyone's."""
        from secretaries.models import Person

        Person.objects.filter(pk=world["tieu_can_person"].pk).update(ethnicity="05", is_party_member=True)
        url = reverse("awards:commendation_export", args=[world["decided_campaign"].pk])
        client.force_login(cang_long_officer)
        nhung, teo = workbook_rows(client.get(url))[1:]
        assert teo[1] == "Nguyễn Văn Tèo" and teo[3:5] == [None, None]
        assert nhung[3] and nhung[4] in ("Có", "Không")
        login_verified(client, tra_vinh_staff)
        nhung, teo = workbook_rows(client.get(url))[1:]
        assert teo[3:5] == ["Khmer", "Có"]

    def test_no_phone_birth_date_or_religion(self, client, cang_long_officer, world):
        client.force_login(cang_long_officer)
        response = client.get(reverse("awards:commendation_export", args=[world["decided_campaign"].pk]))
        cells = [c for row in workbook_rows(response) for c in row if c is not None]
        teo = world["tieu_can_person"]
        assert teo.phone not in cells and "0912345678" not in cells
        assert not any(isinstance(c, datetime.datetime) and c.date() == teo.date_of_birth for c in cells)

    def test_cells_are_neutralised(self, client, tra_vinh_staff, world, tieu_can):
        commend(world["decided_campaign"], tieu_can, summary='=HYPERLINK("http://x.example","bấm")')
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("awards:commendation_export", args=[world["decided_campaign"].pk]))
        summaries = [row[7] for row in workbook_rows(response)[1:]]
        assert '\'=HYPERLINK("http://x.example","bấm")' in summaries

    def test_another_province_finds_nothing(self, client, vinh_long_staff, world):
        login_verified(client, vinh_long_staff)
        url = reverse("awards:commendation_export", args=[world["decided_campaign"].pk])
        assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------------
# A commendation's page


def detail_url(commendation):
    return reverse("awards:commendation_detail", args=[commendation.pk])


class TestDetail:
    def test_the_facts(self, client, tra_vinh_staff, world):
        teo = world["tieu_can_commendation"]
        login_verified(client, tra_vinh_staff)
        response = client.get(detail_url(teo))
        html = response.content.decode()
        assert response.status_code == 200
        for text in ("Nguyễn Văn Tèo", "2020", "125/QĐ-TĐTN", "20/11/2020", "Ấp Cây Gòn", "Xã Hiếu Tử"):
            assert text in html
        assert "Huyện Tiểu Cần" in html and "Tỉnh Trà Vinh" in html
        assert 'data-status="current"' in html
        assert reverse("awards:commendation_certificate", args=[teo.pk]) in html
        assert reverse("awards:commendation_list", args=[world["decided_campaign"].pk]) in html
        assert world["tieu_can_person"].get_absolute_url() in html
        assert reverse("awards:commendation_revoke", args=[teo.pk]) in html

    def test_officers_see_no_revoke_and_the_person_only_in_their_district(
        self, client, tieu_can_officer, cang_long_officer, world
    ):
        teo = world["tieu_can_commendation"]
        person_url = world["tieu_can_person"].get_absolute_url()
        client.force_login(tieu_can_officer)
        html = client.get(detail_url(teo)).content.decode()
        assert person_url in html
        assert reverse("awards:commendation_revoke", args=[teo.pk]) not in html
        client.force_login(cang_long_officer)
        response = client.get(detail_url(teo))
        html = response.content.decode()
        assert response.status_code == 200
        assert person_url not in html
        assert reverse("awards:commendation_revoke", args=[teo.pk]) not in html

    def test_a_revoked_one_says_when_why_and_who(self, client, tra_vinh_staff, world):
        teo = revoke(world["tieu_can_commendation"], tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        html = client.get(detail_url(teo)).content.decode()
        assert 'data-status="revoked"' in html
        assert "01/03/2021" in html
        assert "Kê khai thành tích không đúng sự thật." in html
        assert str(tra_vinh_staff) in html
        assert reverse("awards:commendation_revoke", args=[teo.pk]) not in html  # not twice
        assert reverse("awards:commendation_certificate", args=[teo.pk]) not in html


# ---------------------------------------------------------------------------------------------------
# Revocation


def revoke_url(commendation):
    return reverse("awards:commendation_revoke", args=[commendation.pk])


class TestRevoke:
    def test_the_form_warns_and_proposes_today(self, client, tra_vinh_staff, world):
        from django.utils import timezone

        login_verified(client, tra_vinh_staff)
        response = client.get(revoke_url(world["tieu_can_commendation"]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "alert-warning" in html and "06/2022/QH15" in html
        assert timezone.localdate().strftime("%d/%m/%Y") in html
        assert 'name="reason"' in html and "required" in html
        # The server's refusals beside the fields, in the page's language, not the browser's bubble.
        assert re.search(r"<form[^>]*\bnovalidate\b", html)

    def test_revoked_through_the_form_the_record_stays_with_its_history(self, client, tra_vinh_staff, world):
        teo = world["tieu_can_commendation"]
        login_verified(client, tra_vinh_staff)
        response = client.post(
            revoke_url(teo), {"revoked_on": "01/03/2021", "reason": "  Kê khai thành tích không đúng.  "}
        )
        assert response.status_code == 302
        assert response["Location"] == detail_url(teo)
        teo.refresh_from_db()
        assert teo.revoked_on == D(2021, 3, 1)
        assert teo.revocation_reason == "Kê khai thành tích không đúng."
        assert teo.revoked_by == tra_vinh_staff
        assert Commendation.objects.filter(pk=teo.pk).exists()
        assert any("Nguyễn Văn Tèo" in m for m in messages_of(response))
        latest = client.get(detail_url(teo)).context["history"][0]
        assert latest.who == tra_vinh_staff
        labels = {c.label for c in latest.changes}
        for name in ("revoked_on", "revocation_reason", "revoked_by"):
            assert str(Commendation._meta.get_field(name).verbose_name) in labels

    def test_a_reason_is_required(self, client, tra_vinh_staff, world):
        teo = world["tieu_can_commendation"]
        login_verified(client, tra_vinh_staff)
        response = client.post(revoke_url(teo), {"revoked_on": "01/03/2021", "reason": "   "})
        assert response.status_code == 200
        form = response.context["form"]
        assert "reason" in form.errors and "revoked_on" not in form.errors
        assert form.data["revoked_on"] == "01/03/2021"  # what was typed stays
        teo.refresh_from_db()
        assert not teo.is_revoked

    def test_not_before_the_decision(self, client, tra_vinh_staff, world):
        teo = world["tieu_can_commendation"]
        login_verified(client, tra_vinh_staff)
        response = client.post(revoke_url(teo), {"revoked_on": "19/11/2020", "reason": "Sai sự thật."})
        assert response.status_code == 200
        form = response.context["form"]
        assert list(form.errors) == ["revoked_on"]
        assert "20/11/2020" in form.errors["revoked_on"][0]
        assert "Sai sự thật." in response.content.decode()
        teo.refresh_from_db()
        assert not teo.is_revoked

    def test_a_date_that_is_not_one(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        response = client.post(
            revoke_url(world["tieu_can_commendation"]), {"revoked_on": "31/02/2021", "reason": "x"}
        )
        assert "revoked_on" in response.context["form"].errors

    def test_not_twice(self, client, tra_vinh_staff, administrator, world):
        teo = revoke(world["tieu_can_commendation"], tra_vinh_staff)
        login_verified(client, administrator)
        for method in ("get", "post"):
            response = getattr(client, method)(
                revoke_url(teo), {"revoked_on": "02/03/2021", "reason": "Lần hai."}
            )
            assert response.status_code == 302
            assert response["Location"] == detail_url(teo)
            assert any("01/03/2021" in m for m in messages_of(response))
        teo.refresh_from_db()
        assert teo.revoked_on == D(2021, 3, 1) and teo.revoked_by == tra_vinh_staff

    def test_officers_may_not(self, client, tieu_can_officer, world):
        teo = world["tieu_can_commendation"]
        client.force_login(tieu_can_officer)
        assert client.get(revoke_url(teo)).status_code == 403
        response = client.post(revoke_url(teo), {"revoked_on": "01/03/2021", "reason": "Sai."})
        assert response.status_code == 403
        teo.refresh_from_db()
        assert not teo.is_revoked

    def test_another_province_finds_nothing(self, client, vinh_long_staff, world):
        login_verified(client, vinh_long_staff)
        assert client.post(revoke_url(world["tieu_can_commendation"]), {"reason": "x"}).status_code == 404

    def test_not_ahead_of_the_revoking_decision(self, client, tra_vinh_staff, world):
        """A revocation takes the person off the wall and marks every certificate at once: not dated ahead."""
        from django.utils import timezone

        teo = world["tieu_can_commendation"]
        login_verified(client, tra_vinh_staff)
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
        response = client.post(revoke_url(teo), {"revoked_on": tomorrow, "reason": "Sai sự thật."})
        assert response.status_code == 200
        assert response.context["form"].errors["revoked_on"] == ["Ngày thu hồi không thể ở tương lai."]
        teo.refresh_from_db()
        assert not teo.is_revoked

    def test_an_ended_province_reads_and_does_not_revoke(self, client, tra_vinh_staff, world, tra_vinh):
        """Tỉnh đoàn Trà Vinh after 30/06/2025: its commendations are read; today's province revokes."""
        teo = world["tieu_can_commendation"]
        tra_vinh.ended_on = D(2025, 6, 30)
        tra_vinh.save()
        login_verified(client, tra_vinh_staff)
        page = client.get(detail_url(teo)).content.decode()
        assert "Nguyễn Văn Tèo" in page and revoke_url(teo) not in page
        assert client.get(revoke_url(teo)).status_code == 403
        response = client.post(revoke_url(teo), {"revoked_on": "01/03/2021", "reason": "Sai."})
        assert response.status_code == 403
        campaign = client.get(reverse("awards:campaign_detail", args=[teo.campaign_id])).content.decode()
        assert reverse("awards:campaign_correct", args=[teo.campaign_id]) not in campaign
        assert client.get(reverse("awards:campaign_correct", args=[teo.campaign_id])).status_code == 403
        campaigns = client.get(reverse("awards:campaign_list")).content.decode()
        assert reverse("awards:campaign_create") not in campaigns
        assert client.get(reverse("awards:campaign_create")).status_code == 403
        # The service refuses it too (a date after the unit's end, next to the date).
        with pytest.raises(ValidationError) as refused:
            revoke(teo, tra_vinh_staff, on=D(2025, 7, 2))
        assert refused.value.code == "unit_ended"
        teo.refresh_from_db()
        assert not teo.is_revoked


# ---------------------------------------------------------------------------------------------------
# Portrait


def test_portrait_is_the_thumbnail_and_404_without_one(client, tieu_can_officer, world):
    client.force_login(tieu_can_officer)
    response = client.get(reverse("awards:commendation_portrait", args=[world["tieu_can_commendation"].pk]))
    body = b"".join(response.streaming_content)
    person = world["tieu_can_person"]
    with person.portrait_thumbnail.open("rb") as f:
        assert body == f.read()
    assert response["Cache-Control"] == "private, no-store"
    nhung = world["cang_long_commendation"]
    assert client.get(reverse("awards:commendation_portrait", args=[nhung.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------------
# The person page and the first screen


class TestPersonPage:
    def test_lists_the_commendations_with_a_revoked_marker(
        self, client, tieu_can_officer, tra_vinh_staff, world
    ):
        teo = world["tieu_can_commendation"]
        client.force_login(tieu_can_officer)
        response = client.get(world["tieu_can_person"].get_absolute_url())
        assert [c.pk for c in response.context["person_commendations"]] == [teo.pk]
        html = response.content.decode()
        assert detail_url(teo) in html
        assert "125/QĐ-TĐTN" in html
        revoke(teo, tra_vinh_staff)
        html = client.get(world["tieu_can_person"].get_absolute_url()).content.decode()
        assert "text-decoration-line-through" in html and "01/03/2021" in html

    def test_none(self, client, tieu_can_officer, world):
        other = person_with_term(branch=BranchFactory(commune=world["tieu_can"].commune))
        client.force_login(tieu_can_officer)
        response = client.get(other.get_absolute_url())
        assert response.context["person_commendations"] == []
        assert 'id="person-commendations"' in response.content.decode()


class TestHomeChart:
    def test_provincial_staff_see_commendations_per_year(self, client, tra_vinh_staff, world, tieu_can):
        from awards.models import Campaign

        later = Campaign.objects.create(
            province=world["decided_campaign"].province,
            year=2022,
            title="Tuyên dương 2022",
            opens_on=D(2022, 9, 1),
            closes_on=D(2022, 10, 1),
            status=Campaign.Status.DECIDED,
            decision_number="9/QĐ",
            decision_date=D(2022, 11, 1),
        )
        commend(later, tieu_can)
        revoke(world["cang_long_commendation"], tra_vinh_staff)  # revoked ones are not counted
        login_verified(client, tra_vinh_staff)
        response = client.get(reverse("home"))
        panel = next(
            p for p in response.context["panels"] if "chart" in p.context and "commendation" in p.template
        )
        assert panel.context["chart"]["labels"] == ["2020", "2022"]
        assert panel.context["chart"]["datasets"][0]["data"] == [1, 1]
        assert 'id="home-commendations-chart"' in response.content.decode()

    @pytest.mark.parametrize("persona", ["tieu_can_officer", "administrator", "vinh_long_staff"])
    def test_not_for_other_roles_or_without_commendations(self, persona, as_persona, world):
        response = as_persona(persona).get(reverse("home"))
        assert 'id="home-commendations-chart"' not in response.content.decode()


# ---------------------------------------------------------------------------------------------------
# Query counts: they do not grow with the number of districts and commendations.


def _grow(world, n):
    campaign = world["decided_campaign"]
    for i in range(n):
        district = DistrictFactory(code=f"9{i:02d}", province=campaign.province)
        for _ in range(2):
            commend(campaign, district)
    teo = world["tieu_can_commendation"]
    revoke(teo, None)


PAGES = [
    ("list", lambda w: list_url(w["decided_campaign"])),
    ("export", lambda w: reverse("awards:commendation_export", args=[w["decided_campaign"].pk])),
    ("detail", lambda w: detail_url(w["tieu_can_commendation"])),
    (
        "certificate",
        lambda w: reverse("awards:commendation_certificate", args=[w["cang_long_commendation"].pk]),
    ),
    ("statistics", lambda w: reverse("awards:statistics")),
    ("statistics of a year", lambda w: reverse("awards:statistics") + "?year=2020"),
    ("person page", lambda w: w["tieu_can_person"].get_absolute_url()),
]


def test_query_counts_do_not_grow(query_counts, world):
    personas = ["administrator", "tra_vinh_staff", "cang_long_officer", "tieu_can_officer"]

    def expected(persona, page):
        return 404 if page == "person page" and persona == "cang_long_officer" else 200

    small = query_counts(personas, PAGES, world, expected=expected)
    _grow(world, 4)
    large = query_counts(personas, PAGES, world, expected=expected)
    assert_counts_did_not_grow(small, large)
    # 14: the page's queries plus the user's provinces and former branches, each read once per request
    # (core/scope.py); the person page reads the secretary's account and latest invitation too (its
    # account card).
    for (persona, page), count in large.items():
        assert count <= (16 if page == "person page" else 14), f"{persona}, {page}: {count} queries"
