"""The review page: provincial staff see a campaign's nominations by district and status, with the quota use,
and approve or reject several at once (all or none)."""

import re

import pytest
from django.contrib.messages import get_messages
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse

from awards import services
from awards.campaign_views import CampaignReviewView
from awards.models import Nomination, Quota
from tests.awards.test_campaigns import grow
from tests.awards.test_nominations import assessed, the_campaign
from tests.excel import assert_staff_layout, read_export
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


def review_url(campaign, query=""):
    return reverse("awards:campaign_review", args=[campaign.pk]) + query


def ticked_boxes(response) -> set[int]:
    inputs = re.findall(r"<input[^>]*>", response.content.decode())
    return {
        int(re.search(r'value="(\d+)"', tag).group(1))
        for tag in inputs
        if 'name="nomination"' in tag and re.search(r"\schecked", tag)
    }


def statuses(*nominations):
    return [Nomination.objects.get(pk=n.pk).status for n in nominations]


@pytest.fixture
def both(world):
    return world["tieu_can_nomination"], world["cang_long_nomination"]


@pytest.fixture
def districts(world):
    return world["tieu_can"].commune.district, world["cang_long"].commune.district


class TestPage:
    def test_the_unit_filter_lists_the_units_by_name(self, client, tra_vinh_staff, world, districts):
        """A province of 124 communes is searched by name, not by the statistics office's codes."""
        from tests.factories import DistrictFactory

        first_by_code = DistrictFactory(code="800", name="Thị xã Zê", province=districts[0].province)
        login_verified(client, tra_vinh_staff)
        field = client.get(review_url(world["campaign"])).context["filter"].form.fields["district"]
        names = [unit.name for unit in field.queryset]
        assert names == sorted(names, key=lambda name: field.queryset.get(name=name).name_key)
        assert names[-1] == first_by_code.name

    def test_staff_see_every_district_with_the_quota_use(self, client, tra_vinh_staff, world, both):
        login_verified(client, tra_vinh_staff)
        response = client.get(review_url(world["campaign"]))
        assert response.status_code == 200
        assert set(response.context["nominations"]) == set(both)
        assert response.context["quota_totals"]["submitted"] == 2
        counts = {status: n for status, _label, n in response.context["status_counts"]}
        assert counts == {"da_gui": 2, "duyet": 0, "khong_duyet": 0, "nhap": 0}
        html = response.content.decode()
        for nomination in both:
            assert reverse("awards:nomination_detail", args=[nomination.pk]) in html
            assert reverse("awards:nomination_approve", args=[nomination.pk]) in html
            assert reverse("awards:nomination_reject", args=[nomination.pk]) in html
            assert f'value="{nomination.pk}"' in html
        assert 'form="bulk-review"' in html and 'id="bulk-review"' in html
        assert "Nguyễn Văn Tèo" in html and "Lê Thị Hồng Nhung" in html

    def test_the_counts_say_what_they_count(self, client, tra_vinh_staff, world, both):
        """QA: "Đã gửi" counted every sent nomination on the campaign list (4) and only those still waiting
        on the campaign's page and the review page (2). Those waiting are said to be waiting, under the name
        of their status (their badge's "Đã gửi")."""
        services.nomination_approve(nomination=both[1], reviewer=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.get(review_url(world["campaign"]))
        labels = {status: label for status, label, _n in response.context["status_counts"]}
        assert labels == {
            "da_gui": "Đã gửi, chờ xét duyệt",
            "duyet": "Đã duyệt",
            "khong_duyet": "Không duyệt",
            "nhap": "Nháp",
        }
        html = response.content.decode()
        assert "Tất cả đề nghị đã gửi" in html
        for page in (html, client.get(world["campaign"].get_absolute_url()).content.decode()):
            header = page[page.index('class="table table-sm table-hover align-middle quota-use"') :]
            header = header[: header.index("</thead>")]
            assert "Đã gửi, chờ xét duyệt" in header
        # The campaign list's "Đã gửi" is every sent one: the approved one too, with one waiting.
        listed = client.get(reverse("awards:campaign_list")).context["campaigns"]
        row = next(c for c in listed if c.pk == world["campaign"].pk)
        assert (row.sent_count, row.waiting_count) == (2, 1)

    def test_filter_by_district_and_status(self, client, tra_vinh_staff, world, both, districts):
        services.nomination_approve(nomination=both[1], reviewer=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.get(review_url(world["campaign"], f"?district={districts[0].pk}"))
        assert list(response.context["nominations"]) == [both[0]]
        counts = {status: n for status, _label, n in response.context["status_counts"]}
        assert counts["da_gui"] == 1 and counts["duyet"] == 0
        # The quota above the list is the unit's (QA: it stayed the province's whole).
        assert response.context["quota_totals"]["submitted"] == 1
        summary = response.content.decode().split("data-quota-summary>")[1].split("</summary>")[0]
        assert f"Chỉ tiêu của {districts[0].name}" in summary
        response = client.get(review_url(world["campaign"], "?status=duyet"))
        assert list(response.context["nominations"]) == [both[1]]

    def test_drafts_show_only_when_asked_and_cannot_be_ticked(self, client, tra_vinh_staff, world, both):
        services.nomination_withdraw(nomination=both[0], user=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.get(review_url(world["campaign"]))
        assert list(response.context["nominations"]) == [both[1]]
        response = client.get(review_url(world["campaign"], "?status=nhap"))
        assert list(response.context["nominations"]) == [both[0]]
        assert f'name="nomination" value="{both[0].pk}"' not in response.content.decode()

    def test_search_by_name_with_or_without_diacritics(self, client, tra_vinh_staff, world, both):
        """QA: the review list had no search, where every list finds a name typed without its marks."""
        login_verified(client, tra_vinh_staff)

        def found(query):
            return list(client.get(review_url(world["campaign"], query)).context["nominations"])

        assert found("?q=teo") == [both[0]]
        assert found("?q=NGUYEN+VAN+TEO") == [both[0]]
        assert found("?q=Hồng+Nhung") == [both[1]]
        assert found("?q=nguyen+nhung") == []
        field = client.get(review_url(world["campaign"])).context["filter"].form["q"]
        assert field.help_text == "Tên bí thư"

    def test_the_headers_sort_by_name_unit_and_score(self, client, tra_vinh_staff, world, both):
        """QA: the review list's columns did not sort, as every list's do (`?o=`); the nominees not assessed
        come last whichever way the score is sorted."""
        campaign = the_campaign(world)
        assessed(both[0].person, 5)  # Tèo, of Tiểu Cần (846); Nhung, of Càng Long (844), not assessed
        login_verified(client, tra_vinh_staff)

        def order(query):
            return list(client.get(review_url(campaign, query)).context["nominations"])

        html = client.get(review_url(campaign, "?status=da_gui")).content.decode()
        assert 'table-sort"' in html
        for key in ("name", "district", "score"):
            assert f'href="?status=da_gui&amp;o={key}"' in html
        assert order("") == [both[1], both[0]]  # by unit code, then name
        assert order("?o=name") == [both[1], both[0]] and order("?o=-name") == [both[0], both[1]]
        assert order("?o=district") == [both[1], both[0]] and order("?o=-district") == [both[0], both[1]]
        assert order("?o=-score") == [both[0], both[1]] and order("?o=score") == [both[0], both[1]]

    def test_score_and_rating_of_the_year_are_shown(self, client, tra_vinh_staff, world, both):
        login_verified(client, tra_vinh_staff)
        response = client.get(review_url(world["campaign"]))
        row = next(n for n in response.context["nominations"] if n.pk == both[0].pk)
        assert hasattr(row, "score") and hasattr(row, "rating_label")

    def test_achievements_open_under_the_name_where_their_column_is_hidden(
        self, client, tra_vinh_staff, world, both
    ):
        """Below 1200 px the achievements' column is hidden: each row opens them under the name (a <details>,
        no script), so a phone or a laptop never offers Approve beside achievements it cannot see."""
        login_verified(client, tra_vinh_staff)
        html = client.get(review_url(world["campaign"])).content.decode()
        for nomination in both:
            assert nomination.summary
            row = html[html.index(reverse("awards:nomination_detail", args=[nomination.pk])) :]
            row = row[: row.index(reverse("awards:nomination_approve", args=[nomination.pk]))]
            opened = row[row.index("data-achievements") :]
            assert "d-xl-none" in row and str(linebreaksbr(nomination.summary)) in opened

    def test_the_printed_list_carries_the_achievements_the_unit_and_the_day(
        self, client, tra_vinh_staff, world, both
    ):
        """On A4 (narrower than the achievements' 1200 px column): the column prints, whole; the fold-out
        under the name does not (said once); the reporting unit and the day it was printed head it."""
        login_verified(client, tra_vinh_staff)
        html = client.get(review_url(world["campaign"])).content.decode()
        assert re.search(r'<th class="[^"]*d-print-table-cell[^"]*">Thành tích</th>', html)
        cells = re.findall(
            r'<td class="([^"]*)"\s+title="[^"]*"\s+data-achievements-cell>(.*?)</td>', html, re.S
        )
        assert len(cells) == len(both)
        assert all("d-print-table-cell" in classes for classes, _cell in cells)
        assert any(str(linebreaksbr(n.summary)) in html for n in both)
        assert "data-report-scope" in html and "data-report-date" in html
        assert "data-print-filters" not in html

    def test_the_printed_list_says_what_it_was_filtered_by(self, client, tra_vinh_staff, world, districts):
        """QA: the status tabs do not print, and a printed "Đã duyệt" list looked like the whole one: under
        the unit and the day, the filters, as the export writes them above its table."""
        login_verified(client, tra_vinh_staff)
        query = f"?district={districts[0].pk}&q=teo"
        html = client.get(review_url(world["campaign"], query)).content.decode()
        printed = html[html.index("data-print-filters") :].split("</p>")[0]
        assert f"Lọc theo: Tìm kiếm: teo; Huyện: {districts[0].name}" in " ".join(printed.split())

    def test_decided_campaign_is_read_only(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        response = client.get(review_url(world["decided_campaign"]))
        assert response.status_code == 200 and not response.context["can_decide"]
        html = response.content.decode()
        assert 'id="bulk-review"' not in html
        assert (
            reverse("awards:nomination_approve", args=[world["tieu_can_commendation"].nomination_id])
            not in html
        )

    def test_paginated(self, client, tra_vinh_staff, world, monkeypatch):
        monkeypatch.setattr(CampaignReviewView, "paginate_by", 1)
        login_verified(client, tra_vinh_staff)
        response = client.get(review_url(world["campaign"], "?page=2"))
        assert response.context["is_paginated"] and len(response.context["nominations"]) == 1
        assert response.context["paginator"].count == 2

    def test_officers_get_403_and_outsiders_404(self, client, tieu_can_officer, vinh_long_staff, world):
        client.force_login(tieu_can_officer)
        assert client.get(review_url(world["campaign"])).status_code == 403
        assert client.get(review_url(world["draft_campaign"])).status_code == 404
        login_verified(client, vinh_long_staff)
        assert client.get(review_url(world["campaign"])).status_code == 404


class TestBulk:
    def test_the_buttons_ask_first_with_how_many_are_ticked(self, client, tra_vinh_staff, world):
        """QA: approving or rejecting the ticked nominations acted at once. Each asks first (data-confirm,
        static/js/portal.js), "{count}" being the ticked boxes of the table, which join the form from outside
        it; rejecting asks only once the reason is written (without one it is refused anyway)."""
        login_verified(client, tra_vinh_staff)
        html = client.get(review_url(world["campaign"])).content.decode()
        buttons = {
            re.search(r'value="(\w+)"', tag).group(1): tag
            for tag in re.findall(r"<button[^>]*>", html[html.index('id="bulk-review"') :])
            if 'name="action"' in tag
        }
        ticked = 'data-confirm-ticked="input[type=checkbox][name=nomination]"'
        assert ticked in buttons["approve"] and ticked in buttons["reject"]
        assert 'data-confirm="Duyệt {count} đề nghị đã chọn?"' in buttons["approve"]
        assert 'data-confirm="Không duyệt {count} đề nghị đã chọn, với lý do đã ghi?"' in buttons["reject"]
        assert 'data-confirm-complete="textarea[name=reason]"' in buttons["reject"]
        assert "data-confirm-complete" not in buttons["approve"]
        assert 'name="reason"' in html and "<textarea" in html

    def test_approve_selected_keeps_the_filters(self, client, tra_vinh_staff, world, both):
        login_verified(client, tra_vinh_staff)
        url = review_url(world["campaign"], "?status=da_gui")
        response = client.post(url, {"nomination": [n.pk for n in both], "action": "approve"})
        assert response.status_code == 302 and response["Location"] == url
        assert statuses(*both) == ["duyet", "duyet"]
        assert Nomination.objects.get(pk=both[0].pk).reviewed_by == tra_vinh_staff
        assert len(list(get_messages(response.wsgi_request))) == 1

    def test_approve_the_ticked_of_a_search_keeps_it(self, client, tra_vinh_staff, world, both):
        login_verified(client, tra_vinh_staff)
        url = review_url(world["campaign"], "?q=teo&o=-score")
        response = client.post(url, {"nomination": [both[0].pk], "action": "approve"})
        assert response.status_code == 302 and response["Location"] == url
        assert statuses(*both) == ["duyet", "da_gui"]

    def test_reject_selected_with_one_reason(self, client, tra_vinh_staff, world, both):
        login_verified(client, tra_vinh_staff)
        response = client.post(
            review_url(world["campaign"]),
            {"nomination": [n.pk for n in both], "action": "reject", "reason": "Chưa đủ thành tích"},
        )
        assert response.status_code == 302
        assert statuses(*both) == ["khong_duyet", "khong_duyet"]
        assert {Nomination.objects.get(pk=n.pk).rejection_reason for n in both} == {"Chưa đủ thành tích"}

    def test_reject_without_a_reason_changes_nothing(self, client, tra_vinh_staff, world, both):
        login_verified(client, tra_vinh_staff)
        response = client.post(
            review_url(world["campaign"]),
            {"nomination": [n.pk for n in both], "action": "reject", "reason": "  "},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
        assert statuses(*both) == ["da_gui", "da_gui"]
        # What was ticked stays ticked.
        assert response.context["ticked"] == {n.pk for n in both}
        assert ticked_boxes(response) == {n.pk for n in both}

    def test_nothing_ticked_is_refused(self, client, tra_vinh_staff, world, both):
        login_verified(client, tra_vinh_staff)
        response = client.post(review_url(world["campaign"]), {"action": "approve"})
        assert response.status_code == 200 and response.context["form"].errors["nomination"]
        assert statuses(*both) == ["da_gui", "da_gui"]
        # Said as it is, not as if something had been tried.
        assert [str(m) for m in get_messages(response.wsgi_request)] == ["Chưa chọn đề nghị nào."]

    def test_an_id_outside_the_campaign_refuses_everything(self, client, tra_vinh_staff, world, both):
        other = world["tieu_can_commendation"].nomination  # the 2020 campaign's
        login_verified(client, tra_vinh_staff)
        for foreign in (other.pk, 999999):
            response = client.post(
                review_url(world["campaign"]), {"nomination": [both[0].pk, foreign], "action": "approve"}
            )
            assert response.status_code == 200 and response.context["form"].non_field_errors()
            assert statuses(both[0]) == ["da_gui"]

    def test_a_draft_among_the_ticked_refuses_everything(self, client, tra_vinh_staff, world, both):
        services.nomination_withdraw(nomination=both[0], user=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        response = client.post(
            review_url(world["campaign"]), {"nomination": [n.pk for n in both], "action": "approve"}
        )
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        assert statuses(*both) == ["nhap", "da_gui"]

    def test_a_decided_campaign_refuses(self, client, tra_vinh_staff, world):
        nomination = world["tieu_can_commendation"].nomination
        login_verified(client, tra_vinh_staff)
        response = client.post(
            review_url(world["decided_campaign"]),
            {"nomination": [nomination.pk], "action": "reject", "reason": "x"},
        )
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        assert statuses(nomination) == ["duyet"]

    def test_bad_ids_are_refused(self, client, tra_vinh_staff, world, both):
        login_verified(client, tra_vinh_staff)
        response = client.post(review_url(world["campaign"]), {"nomination": ["abc"], "action": "approve"})
        assert response.status_code == 200 and response.context["form"].errors["nomination"]

    def test_officers_cannot_decide(self, client, tieu_can_officer, world, both):
        client.force_login(tieu_can_officer)
        response = client.post(
            review_url(world["campaign"]), {"nomination": [both[0].pk], "action": "approve"}
        )
        assert response.status_code == 403
        assert statuses(both[0]) == ["da_gui"]

    def test_other_province_staff_cannot_decide(self, client, vinh_long_staff, world, both):
        login_verified(client, vinh_long_staff)
        response = client.post(
            review_url(world["campaign"]), {"nomination": [both[0].pk], "action": "approve"}
        )
        assert response.status_code == 404
        assert statuses(both[0]) == ["da_gui"]


class TestExport:
    def url(self, world, query=""):
        return reverse("awards:campaign_review_export", args=[world["campaign"].pk]) + query

    def test_the_list_under_review_as_filtered_and_sorted(self, client, tra_vinh_staff, world, both):
        """QA: the nominations could be exported only once published. "Xuất Excel" of the review: the page's
        rows, every page of them, as filtered and sorted, with the filters said above the table."""
        services.nomination_reject(nomination=both[1], reviewer=tra_vinh_staff, reason="Thiếu báo cáo.")
        login_verified(client, tra_vinh_staff)
        html = client.get(review_url(world["campaign"], "?q=nhung&page=1")).content.decode()
        assert f'href="{self.url(world)}?q=nhung"' in html
        response = client.get(self.url(world, "?o=-name"))
        assert response["Content-Disposition"].startswith(
            f'attachment; filename="xet-duyet-tuyen-duong-{world["campaign"].year}.xlsx"'
        )
        export = read_export(response)
        assert_staff_layout(
            export,
            title=f"Danh sách đề nghị tuyên dương năm {world['campaign'].year} của Tỉnh Trà Vinh",
            unit="Tỉnh Trà Vinh",
        )
        assert export.header == (
            "Huyện",
            "Họ và tên",
            "Chi đoàn",
            "Xã",
            "Điểm",
            "Xếp loại",
            "Tóm tắt thành tích",
            "Trạng thái",
            "Lý do không duyệt",
        )
        assert export.column("Họ và tên") == ["Nguyễn Văn Tèo", "Lê Thị Hồng Nhung"]
        assert export.column("Trạng thái") == ["Đã gửi", "Không duyệt"]
        assert export.column("Lý do không duyệt") == [None, "Thiếu báo cáo."]
        filtered = read_export(client.get(self.url(world, "?q=nhung&status=khong_duyet")))
        assert filtered.column("Họ và tên") == ["Lê Thị Hồng Nhung"]
        assert "Tìm kiếm: nhung" in filtered.sheet["A3"].value

    def test_for_the_province_only(self, client, cang_long_officer, vinh_long_staff, world):
        client.force_login(cang_long_officer)
        assert client.get(self.url(world)).status_code == 403
        login_verified(client, vinh_long_staff)
        assert client.get(self.url(world)).status_code == 404


@pytest.mark.parametrize("persona", ["administrator", "tra_vinh_staff"])
@pytest.mark.parametrize(
    "page,query",
    [
        ("awards:campaign_review", ""),
        ("awards:campaign_review", "?status=da_gui"),
        ("awards:campaign_review", "?q=nguyen&o=-score"),
        ("awards:campaign_review_export", "?o=name"),
    ],
)
def test_query_count_does_not_grow(persona, page, query, as_persona, world, count_queries):
    client = as_persona(persona)
    url = reverse(page, args=[world["campaign"].pk]) + query
    grow(world, 1)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    grow(world, 5)
    with count_queries() as large:
        response = client.get(url)
        assert response.status_code == 200
    if page == "awards:campaign_review" and not query.startswith("?q="):
        assert len(response.context["nominations"]) >= 12
    assert len(large) == len(small), f"{len(small)} → {len(large)} queries"


def test_quota_rows_are_drawn_escaped_with_their_links(client, tra_vinh_staff, world, both, districts):
    """The quota use per unit is drawn in the view (campaign_views.draw_quota_rows), on the review and on the
    campaign's page: each unit's name escaped and linked to the review filtered on it, its counts, the row
    marked when the unit took more places than its quota."""
    tieu_can = districts[0]
    tieu_can.name = "Huyện <b>Tiểu</b> Cần"
    tieu_can.save(update_fields=["name"])
    campaign = world["campaign"]
    Quota.objects.create(campaign=campaign, district=tieu_can, quota=0)  # lowered below what it sent
    login_verified(client, tra_vinh_staff)
    link = f'<a href="{review_url(campaign)}?district={tieu_can.pk}">Huyện &lt;b&gt;Tiểu&lt;/b&gt; Cần</a>'
    for url in (review_url(campaign), campaign.get_absolute_url()):
        html = (
            client.get(url)
            .content.decode()
            .split('class="table table-sm table-hover align-middle quota-use"')[1]
        )
        row = next(r for r in html.split("<tr") if "&lt;b&gt;" in r)
        assert row.startswith(f' class="table-danger"><td>{link}</td><td class="text-end">0</td>'), url
        assert '<span class="badge text-bg-warning">1</span>' in row and "<b>" not in row, url
        other = next(r for r in html.split("<tr") if f"?district={districts[1].pk}" in r)
        assert not other.startswith(' class="table-danger"'), url
    # A draft has no review yet: its units are named, not linked.
    campaign.status = campaign.Status.DRAFT
    campaign.save(update_fields=["status"])
    html = client.get(campaign.get_absolute_url()).content.decode().split("quota-use")[1]
    row = next(r for r in html.split("<tr") if "&lt;b&gt;" in r)
    assert "<a " not in row and "<td>Huyện &lt;b&gt;Tiểu&lt;/b&gt; Cần</td>" in row
