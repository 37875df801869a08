import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment
from tests.assessments.conftest import all_scores
from tests.excel import read_export
from tests.factories import BranchFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


@pytest.fixture
def commune_people(world, hieu_tu):
    """Nguyễn Văn Tèo (world) and three more secretaries in Xã Hiếu Tử."""
    people = [world["tieu_can_person"]]
    for name in ["Trần Thị Mai", "Thạch Sa Rươne", "Lê Văn Hùng"]:
        people.append(person_with_term(branch=BranchFactory(commune=hieu_tu), full_name=name))
    return people


def grid_data(framework, criteria, people, rows: dict, action="save"):
    """rows: person → list of 11 values ("" for empty)."""
    data = {"framework": framework.pk, action: "1"}
    for person in people:
        values = rows.get(person, [""] * len(criteria))
        for criterion, value in zip(criteria, values, strict=True):
            data[f"s-{person.pk}-{criterion.pk}"] = value
        data[f"c-{person.pk}"] = ""
    return data


def grid_url(hieu_tu):
    return reverse("assessments:commune_grid", args=[hieu_tu.code])


class TestGrid:
    def test_lists_the_communes_secretaries(self, client, tieu_can_officer, commune_people, hieu_tu):
        client.force_login(tieu_can_officer)
        response = client.get(grid_url(hieu_tu))
        assert [row.person for row in response.context["rows"]] == sorted(
            commune_people, key=lambda p: p.terms.get().branch.name_key
        )
        assert len(response.context["criteria"]) == 11

    def test_saves_every_filled_row_as_draft(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["4"] * 11, commune_people[1]: ["3", "5"] + [""] * 9}
        response = client.post(grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows))
        assert response.status_code == 302
        assert Assessment.objects.count() == 2
        assert set(Assessment.objects.values_list("status", flat=True)) == {"nhap"}
        partial = Assessment.objects.get(person=commune_people[1])
        assert partial.overall_score == 4 and partial.scores.filter(value__isnull=True).count() == 9

    def test_a_partial_row_says_how_many_criteria_wait_instead_of_a_rating(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["4"] * 11, commune_people[1]: ["3", "5"] + [""] * 9}
        page = client.post(
            grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows), follow=True
        )
        html = " ".join(page.content.decode().split())
        partial = html[html.index(commune_people[1].get_absolute_url()) :]
        partial = partial[: partial.index("</td>", partial.index("grid-result"))]
        assert "còn 9 tiêu chí chưa chấm" in partial
        assert Assessment.objects.get(person=commune_people[1]).get_rating_display() not in partial
        whole = html[html.index(commune_people[0].get_absolute_url()) :]
        whole = whole[: whole.index("</td>", whole.index("grid-result"))]
        assert (
            "chưa chấm" not in whole
            and Assessment.objects.get(person=commune_people[0]).get_rating_display() in whole
        )

    def test_the_list_and_the_page_of_a_partial_draft_say_what_waits_instead_of_a_rating(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["4"] * 11, commune_people[1]: ["3", "5"] + [""] * 9}
        client.post(grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows))
        partial = Assessment.objects.get(person=commune_people[1])
        whole = Assessment.objects.get(person=commune_people[0])
        assert partial.rating  # stored (the nine are left out), not shown while the draft waits for them

        listed = client.get(reverse("assessments:assessment_list"))
        by_pk = {a.pk: a for a in listed.context["assessments"]}
        assert (by_pk[partial.pk].missing_scores, by_pk[whole.pk].missing_scores) == (9, 0)
        html = " ".join(listed.content.decode().split())
        row = html[html.index(partial.get_absolute_url()) :]
        row = row[: row.index("</tr>")]
        assert "còn 9 tiêu chí chưa chấm" in row and partial.get_rating_display() not in row
        row = html[html.index(whole.get_absolute_url()) :]
        assert whole.get_rating_display() in row[: row.index("</tr>")]

        page = " ".join(client.get(partial.get_absolute_url()).content.decode().split())
        assert "còn 9 tiêu chí chưa chấm" in page and partial.get_rating_display() not in page

        # Sent on with criteria left empty (an import's rows): the rating stands, and says what it lacks.
        Assessment.objects.filter(pk=partial.pk).update(status=Assessment.Status.SUBMITTED)
        page = " ".join(client.get(partial.get_absolute_url()).content.decode().split())
        assert partial.get_rating_display() in page and "9 tiêu chí để trống" in page
        # In the secretary's own step the unit has scored nothing yet: nothing of the unit's is missing.
        Assessment.objects.filter(pk=partial.pk).update(status=Assessment.Status.AWAITING_REVIEW)
        page = " ".join(client.get(partial.get_absolute_url()).content.decode().split())
        assert "để trống" not in page and "chưa chấm" not in page

    def test_the_rating_filter_lists_only_those_that_show_the_rating(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        """A draft still waiting for scores shows no rating (templates/assessments/partials/rating.html):
        filtering by its stored rating does not list it, nor export it; sent on with criteria left empty, it
        shows its rating and is listed."""
        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["4"] * 11, commune_people[1]: ["4", "4"] + [""] * 9}
        client.post(grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows))
        partial = Assessment.objects.get(person=commune_people[1])
        whole = Assessment.objects.get(person=commune_people[0])
        assert partial.rating == whole.rating  # both stored, only the whole one shown
        query = {"framework": framework.pk, "rating": whole.rating}

        listed = client.get(reverse("assessments:assessment_list"), query).context["assessments"]
        assert [a.pk for a in listed] == [whole.pk]
        export = read_export(client.get(reverse("assessments:assessment_export"), query))
        assert export.column("Họ và tên") == [whole.person.full_name]

        Assessment.objects.filter(pk=partial.pk).update(status=Assessment.Status.SUBMITTED)
        listed = client.get(reverse("assessments:assessment_list"), query).context["assessments"]
        assert {a.pk for a in listed} == {whole.pk, partial.pk}

    def test_the_grids_save_and_submit_asks_first_counting_the_rows(
        self, client, tieu_can_officer, hieu_tu, framework
    ):
        """As a single assessment's "Gửi" does; the browser counts the rows with a score typed in
        (static/js/portal.js, data-confirm-count)."""
        client.force_login(tieu_can_officer)
        html = " ".join(client.get(grid_url(hieu_tu) + f"?framework={framework.pk}").content.decode().split())
        button = html.split('name="submit"')[1].split(">")[0]
        assert 'data-confirm="Gửi các dòng đã nhập điểm ({count} dòng) để Tỉnh đoàn xác nhận?' in button
        assert 'data-confirm-count="tbody tr"' in button
        assert 'data-confirm-filled="input.score-input"' in button

    def test_the_grid_on_paper_says_its_framework_and_prints_whole_comments(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        client.force_login(tieu_can_officer)
        data = grid_data(framework, criteria, commune_people, {commune_people[0]: ["4"] * 11})
        comment = "Hoàn thành nhiệm vụ, cần củng cố sinh hoạt chi đoàn định kỳ hằng tháng."
        data[f"c-{commune_people[0].pk}"] = comment
        html = " ".join(client.post(grid_url(hieu_tu), data, follow=True).content.decode().split())
        printed = html[html.index("data-printed-framework>") :]
        assert printed.startswith(f"data-printed-framework>· {framework.year} — {framework.name}")
        assert f"data-printed-comment>{comment}</span>" in html
        assert "data-report-date" in html  # the unit and the day on paper, as a list has

    def test_saving_the_grid_leaves_the_rows_nobody_changed_as_they_were(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        """Only the rows typed in are saved again: the others keep their date, version and history (saving
        them anew moved every draft's date to today and made a second tab's save a conflict)."""
        import datetime

        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["4"] * 11, commune_people[1]: ["3", "5"] + [""] * 9}
        client.post(grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows))
        Assessment.objects.update(assessed_on=datetime.date(2026, 1, 5))
        untouched = Assessment.objects.get(person=commune_people[1])
        records = untouched.history.count()

        rows[commune_people[0]] = ["5"] + ["4"] * 10
        response = client.post(
            grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows), follow=True
        )
        assert "Đã lưu nháp 1 đánh giá." in response.content.decode()
        after = Assessment.objects.get(pk=untouched.pk)
        assert (after.assessed_on, after.version, after.history.count()) == (
            datetime.date(2026, 1, 5),
            untouched.version,
            records,
        )
        changed = Assessment.objects.get(person=commune_people[0])
        assert (
            changed.assessed_on != datetime.date(2026, 1, 5)
            and changed.scores.get(criterion=criteria[0]).value == 5
        )
        # Saved again as it is: nothing to save, and said so.
        response = client.post(
            grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows), follow=True
        )
        assert "Bảng không có thay đổi nào: không có gì để lưu." in response.content.decode()

    def test_after_saving_each_row_shows_its_score_and_rating(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        """Issue 14: the officer sees at once what each typed row came to, beside its status."""
        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["5"] * 11, commune_people[1]: ["3"] * 11}
        response = client.post(
            grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows), follow=True
        )
        html = response.content.decode()
        for person in rows:
            assessment = Assessment.objects.get(person=person, framework=framework)
            cell = html[html.index(person.get_absolute_url()) :]
            cell = cell[
                cell.index('class="small grid-result"') : cell.index("</td>", cell.index("grid-result"))
            ]
            score = f"{assessment.overall_score:.2f}".replace(".", ",")
            assert score in cell and assessment.get_rating_display() in cell, person
        assert "Hoàn thành xuất sắc nhiệm vụ" in html

    def test_the_list_opens_a_communes_grid_in_one_step(
        self, client, tra_vinh_staff, commune_people, hieu_tu, framework, criteria
    ):
        services.assessment_save(
            person=commune_people[1],
            framework=framework,
            values=all_scores(criteria),
            assessor=tra_vinh_staff,
        )
        login_verified(client, tra_vinh_staff)
        html = client.get(reverse("assessments:assessment_list")).content.decode()
        link = f"{reverse('assessments:commune_grid_pick')}?commune={hieu_tu.pk}&amp;framework={framework.pk}"
        assert link in html
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 302
        assert response["Location"] == f"{grid_url(hieu_tu)}?framework={framework.pk}"
        # The picker beside the list opens the grid on choice (portal.js: data-autosubmit).
        picker = html.index(f'action="{reverse("assessments:commune_grid_pick")}"')
        assert "data-autosubmit" in html[picker : html.index("</form>", picker)]

    def test_an_invalid_cell_saves_nothing_and_is_marked(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["4"] * 11, commune_people[1]: ["4"] * 10 + ["7"]}
        before = list(Assessment.objects.values_list("pk", "updated_at"))  # the world's draft of Tèo
        response = client.post(grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows))
        assert response.status_code == 200
        assert list(Assessment.objects.values_list("pk", "updated_at")) == before
        html = response.content.decode()
        assert html.count("is-invalid") == 1
        assert 'value="7"' in html and "Nothing was saved" not in html  # Vietnamese message instead
        assert "Chưa lưu gì" in html

    def test_submitting_needs_complete_rows(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["4"] * 11, commune_people[1]: ["4"] * 9 + ["", ""]}
        response = client.post(
            grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows, "submit")
        )
        assert response.status_code == 200
        assert response.content.decode().count("is-invalid") == 2
        assert list(Assessment.objects.values_list("status", flat=True)) == ["nhap"]  # the world's draft
        rows[commune_people[1]] = ["4"] * 11
        client.post(grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows, "submit"))
        assert list(Assessment.objects.values_list("status", flat=True)) == ["da_gui", "da_gui"]

    def test_confirmed_rows_are_read_only(
        self, client, tieu_can_officer, tra_vinh_staff, commune_people, hieu_tu, framework, criteria
    ):
        confirmed = services.assessment_save(
            person=commune_people[0],
            framework=framework,
            assessor=tieu_can_officer,
            values=all_scores(criteria, 5),
            submit=True,
        )
        services.assessment_confirm(assessment=confirmed, user=tra_vinh_staff)
        client.force_login(tieu_can_officer)
        rows = {commune_people[0]: ["1"] * 11}
        client.post(grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows))
        confirmed.refresh_from_db()
        assert confirmed.overall_score == 5

    @pytest.fixture
    def sent(self, tieu_can_officer, commune_people, framework, criteria):
        """Trần Thị Mai's assessment, sent to the province and waiting for its confirmation."""
        return services.assessment_save(
            person=commune_people[1],
            framework=framework,
            assessor=tieu_can_officer,
            values=all_scores(criteria, 3, c0=4, c1=5),
            comment="Đã gửi lên tỉnh",
            submit=True,
        )

    def test_a_sent_row_is_shown_as_text_with_its_status(
        self, client, tieu_can_officer, sent, commune_people, hieu_tu, criteria
    ):
        client.force_login(tieu_can_officer)
        html = " ".join(client.get(grid_url(hieu_tu)).content.decode().split())
        row = html[
            html.index(sent.person.get_absolute_url()) : html.index(
                "</tr>", html.index(sent.get_absolute_url())
            )
        ]
        assert "<input" not in row and "<textarea" not in row
        assert [int(v) for v in re.findall(r'<span class="grid-value">(\d*)</span>', row)] == [4, 5] + [3] * 9
        assert "Đã gửi lên tỉnh" in row and ">Đã gửi</span>" in row
        # The draft beside it is still typed in.
        draft = commune_people[0]
        assert f'name="s-{draft.pk}-{criteria[0].pk}"' in html and f'name="v-{draft.pk}"' in html

    @pytest.mark.parametrize("version", ["current", "left out"])
    def test_a_crafted_post_changes_no_sent_assessment_and_drafts_still_save(
        self, version, client, tieu_can_officer, sent, commune_people, hieu_tu, framework, criteria
    ):
        """Posted cells of a sent row (as if typed in) change nothing of it, and the message counts only the
        drafts saved beside it (it said "3 saved as drafts" with the sent score changed, still sent)."""
        records = sent.history.count()
        client.force_login(tieu_can_officer)
        draft = commune_people[0]
        rows = {draft: ["5"] * 11, sent.person: ["1"] * 11, commune_people[2]: ["2"] * 11}
        data = grid_data(framework, criteria, commune_people, rows)
        data[f"c-{sent.person.pk}"] = "Sửa sau khi gửi"
        if version == "current":
            data[f"v-{sent.person.pk}"] = str(sent.version)
        response = client.post(grid_url(hieu_tu), data, follow=True)
        assert "Đã lưu nháp 2 đánh giá." in response.content.decode()
        after = Assessment.objects.get(pk=sent.pk)
        assert (after.status, after.overall_score, after.comment, after.version, after.history.count()) == (
            Assessment.Status.SUBMITTED,
            sent.overall_score,
            "Đã gửi lên tỉnh",
            sent.version,
            records,
        )
        assert list(after.scores.values_list("value", flat=True)) == [4, 5] + [3] * 9
        saved = Assessment.objects.filter(person__in=[draft, commune_people[2]])
        assert sorted((a.status, a.overall_score) for a in saved) == [("nhap", 2), ("nhap", 5)]

    def test_the_service_skips_a_sent_row_handed_to_it_as_open(
        self, tieu_can_officer, sent, framework, criteria
    ):
        from types import SimpleNamespace

        entry = SimpleNamespace(
            person=sent.person,
            assessment=sent,
            locked=False,
            values=all_scores(criteria, 1),
            comment="",
            loaded=sent.version,
        )
        saved = services.commune_grid_save(
            entries=[entry], framework=framework, criteria=criteria, assessor=tieu_can_officer, submit=True
        )
        sent.refresh_from_db()
        assert saved == 0 and sent.scores.filter(value=1).count() == 0

    def test_a_row_sent_meanwhile_refuses_the_whole_grid_before_writing(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria
    ):
        """Opened as a draft and sent from its own page before the grid was saved: nothing of the grid is
        written, the other rows typed in included."""
        client.force_login(tieu_can_officer)
        page = client.get(grid_url(hieu_tu))
        loaded = {row.person: row.bound_version.value() for row in page.context["rows"]}
        draft = Assessment.objects.get(person=commune_people[0])  # the world's draft of Tèo
        services.assessment_save(
            person=draft.person,
            framework=framework,
            assessor=tieu_can_officer,
            values=all_scores(criteria, 4),
            assessment=draft,
            submit=True,
        )
        rows = {person: ["2"] * 11 for person in commune_people}
        data = grid_data(framework, criteria, commune_people, rows)
        data.update({f"v-{person.pk}": str(version) for person, version in loaded.items()})
        response = client.post(grid_url(hieu_tu), data)
        assert response.status_code == 200 and "Chưa lưu gì" in response.content.decode()
        assert list(Assessment.objects.values_list("person", flat=True)) == [draft.person_id]
        assert Assessment.objects.get().scores.filter(value=2).count() == 0

    def test_another_district_cannot_open_or_post(
        self, client, cang_long_officer, commune_people, hieu_tu, framework, criteria
    ):
        client.force_login(cang_long_officer)
        assert client.get(grid_url(hieu_tu)).status_code == 404
        rows = {commune_people[0]: ["4"] * 11}
        assert (
            client.post(grid_url(hieu_tu), grid_data(framework, criteria, commune_people, rows)).status_code
            == 404
        )
        assert Assessment.objects.get().overall_score == 4  # the world's draft, untouched

    def test_query_count_is_constant(
        self, client, tieu_can_officer, commune_people, hieu_tu, framework, criteria, count_queries
    ):
        services.assessment_save(
            person=commune_people[0],
            framework=framework,
            assessor=tieu_can_officer,
            values=all_scores(criteria, 3),
        )
        client.force_login(tieu_can_officer)
        with count_queries() as few:
            client.get(grid_url(hieu_tu))
        for i in range(8):
            person = person_with_term(branch=BranchFactory(commune=hieu_tu), full_name=f"Người Thêm {i}")
            services.assessment_save(
                person=person, framework=framework, assessor=tieu_can_officer, values=all_scores(criteria, 3)
            )
        with count_queries() as many:
            client.get(grid_url(hieu_tu))
        assert len(many) == len(few)


class TestSingleForm:
    def test_assess_one_secretary_and_submit(self, client, tieu_can_officer, hieu_tu, framework, criteria):
        person = person_with_term(branch=BranchFactory(commune=hieu_tu), full_name="Trần Thị Mai")
        client.force_login(tieu_can_officer)
        data = {f"score_{c.pk}": "4" for c in criteria}
        data.update(
            {
                "assessed_on": "20/11/2026",
                "comment": "Tích cực",
                "submit": "1",
                f"note_{criteria[0].pk}": "Điều hành tốt",
            }
        )
        response = client.post(reverse("assessments:assessment_create") + f"?person={person.pk}", data)
        assessment = Assessment.objects.get(person=person)
        assert response["Location"] == assessment.get_absolute_url()
        assert assessment.status == "da_gui" and assessment.overall_score == 4
        assert assessment.scores.get(criterion=criteria[0]).comment == "Điều hành tốt"
        page = client.get(assessment.get_absolute_url()).content.decode()
        assert "Điều hành tốt" in page and "4,00" in page

    def test_submit_with_missing_scores_shows_which(self, client, tieu_can_officer, world, criteria):
        client.force_login(tieu_can_officer)
        data = {f"score_{c.pk}": "4" for c in criteria[:10]}
        data.update({"assessed_on": "20/11/2026", "submit": "1"})
        url = reverse("assessments:assessment_update", args=[world["tieu_can_assessment"].pk])
        response = client.post(url, data)
        assert list(response.context["form"].errors) == [f"score_{criteria[10].pk}"]
        assert Assessment.objects.get().status == "nhap"  # the world's draft, not submitted

    def test_a_refused_form_lists_what_to_correct_at_its_top(self, client, tieu_can_officer, world, criteria):
        """6, "b" and 2.5 among the scores and 31/02 as the day: the errors beside the fields run 3,000 pixels
        down, so an alert above the form names each field (the criterion with its group) and links to it."""
        client.force_login(tieu_can_officer)
        data = {f"score_{c.pk}": "4" for c in criteria}
        data |= {f"score_{criteria[0].pk}": "6", f"score_{criteria[5].pk}": "b", "assessed_on": "31/02/2026"}
        url = reverse("assessments:assessment_update", args=[world["tieu_can_assessment"].pk])
        html = client.post(url, {**data, "save": "1"}).content.decode()
        alert = html.split('id="form-errors">')[1].split("</div>")[0]
        assert html.index('id="form-errors"') < html.index("data-warn-unsaved")
        items = [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", alert, re.S)]
        link = '<a class="alert-link" href="#id_score_{}">{}.{}. {}</a>: Nhập số nguyên từ 1 đến 5.'
        assert items == [
            *(link.format(c.pk, c.group.order, c.order, c.name) for c in (criteria[0], criteria[5])),
            '<a class="alert-link" href="#id_assessed_on">Ngày đánh giá</a>: '
            "Không có ngày này: kiểm tra ngày, tháng, năm và viết theo dạng dd/mm/yyyy.",
        ]
        assert "form-errors" not in client.get(url).content.decode()


def test_the_list_keeps_its_filters_folded_on_a_phone_until_one_is_chosen(client, tra_vinh_staff, framework):
    # The list fills in the year's framework itself: that is not the person filtering (portal.filtered_by).
    login_verified(client, tra_vinh_staff)
    url = reverse("assessments:assessment_list")
    assert 'collapse d-lg-block"' in client.get(url).content.decode()
    assert 'collapse d-lg-block show"' in client.get(url, {"q": "teo"}).content.decode()


@pytest.mark.parametrize("query", ["", "?person=", "?person=abc"])
def test_assessing_without_a_secretary_says_where_to_choose_one(query, client, tieu_can_officer, world):
    """A bookmark or a typed address without its secretary: the list of secretaries, and why (it was a 404
    in English under DEBUG, a 500 for a word)."""
    client.force_login(tieu_can_officer)
    response = client.get(reverse("assessments:assessment_create") + query, follow=True)
    assert response.redirect_chain[-1][0] == reverse("secretaries:person_list")
    assert "Chọn bí thư cần đánh giá" in response.content.decode()


def test_the_form_adds_up_the_scores_of_each_part_and_in_all(client, tieu_can_officer, world, criteria):
    """On a scale the line counts the scored criteria (the script fills it, from each score field's range);
    nothing of a rating is computed in the browser."""
    client.force_login(tieu_can_officer)
    url = reverse("assessments:assessment_update", args=[world["tieu_can_assessment"].pk])
    html = client.get(url).content.decode()
    parts = [
        m.start()
        for m in re.finditer(
            r'data-score-tally="part"\s+data-text="Phần này: đã chấm \{count\}/\{of\} tiêu chí"', html
        )
    ]
    assert len(parts) == len({c.group_id for c in criteria}) == 3
    (in_all,) = [
        m.start()
        for m in re.finditer(
            r'data-score-tally="form"\s+data-text="Tổng cộng: đã chấm \{count\}/\{of\} tiêu chí"', html
        )
    ]
    # Each part's line closes its fieldset; the line in all follows the last.
    assert parts[0] < html.index("</fieldset>") < parts[-1] < in_all
    score = re.search(rf'<input type="text" name="score_{criteria[0].pk}"[^>]*>', html).group()
    assert 'data-min="1"' in score and 'data-max="5"' in score
