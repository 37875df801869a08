"""Self-assessment → the unit's review → confirmation (Regulation 366-QĐ/TW), where a framework asks for it:
the secretary's own pages, the review with both scores, who may reach what, and the grid."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import self_services, services
from assessments.framework_services import framework_create_points
from assessments.models import Assessment, GroupReview, Period, Rating, Score
from assessments.selectors import self_assessments_for
from core.versioning import VERSION_FIELD
from tests.factories import BranchFactory, PersonFactory, UserFactory, person_with_term

pytestmark = pytest.mark.usefixtures("world_once")

S = Assessment.Status


@pytest.fixture
def self_framework(world):
    """Trà Vinh's framework of this year: points out of 100, secretaries first."""
    return framework_create_points(
        year=timezone.localdate().year,
        province=world["tieu_can"].commune.province,
        name="Tự đánh giá",
        self_assessment=True,
    )


@pytest.fixture
def criteria(self_framework):
    return services.framework_criteria(self_framework)


@pytest.fixture
def secretary(world):
    return UserFactory(
        username="bithu.teo",
        role="secretary",
        person=world["tieu_can_person"],
        last_name="Nguyễn Văn",
        first_name="Tèo",
    )


@pytest.fixture
def secretary_client(client, secretary):
    client.force_login(secretary)
    return client


def marks(criteria, share=1.0, **overrides) -> dict:
    values = {c.pk: round(c.max_points * share) for c in criteria}
    for key, value in overrides.items():
        values[criteria[int(key[1:])].pk] = value
    return values


def self_submitted(secretary, framework, criteria, **overrides):
    return self_services.self_assessment_save(
        user=secretary, framework=framework, values=marks(criteria, **overrides), submit=True
    )


def form_data(criteria, values, **extra) -> dict:
    data = {f"score_{c.pk}": "" if values.get(c.pk) is None else str(values[c.pk]) for c in criteria}
    return {**data, **extra}


class TestTheSecretarysOwnPages:
    def test_draft_then_submit_then_it_no_longer_changes(self, secretary_client, self_framework, criteria):
        client = secretary_client
        listing = client.get(reverse("assessments:self_list"))
        assert listing.status_code == 200 and "Tự đánh giá" in listing.text
        # The account menu names them (it said "Bí thư Chi đoàn · Bí thư Chi đoàn").
        assert "Bí thư Chi đoàn · Nguyễn Văn Tèo" in listing.text
        url = reverse("assessments:self_form", args=[self_framework.pk])
        assert client.get(url).status_code == 200

        draft = form_data(criteria, marks(criteria, c1=None), comment="Còn thiếu", **{VERSION_FIELD: "0"})
        response = client.post(url, {**draft, "save": ""})
        assessment = Assessment.objects.get(framework=self_framework)
        assert response.status_code == 302 and assessment.status == S.SELF_DRAFT
        assert assessment.self_comment == "Còn thiếu" and assessment.self_overall_score == Decimal("92.00")
        assert assessment.overall_score is None and not assessment.was_self_assessed
        # Its points so far, and no rating until every criterion is scored.
        assert assessment.self_rating == ""
        page = client.get(reverse("assessments:self_detail", args=[assessment.pk])).text
        assert "Xếp loại khi đã chấm đủ mọi tiêu chí." in page

        # Submitting needs every criterion.
        response = client.post(url, {**draft, VERSION_FIELD: str(assessment.version), "submit": ""})
        assert response.status_code == 200 and "score_" in response.text
        complete = form_data(criteria, marks(criteria, c0=3), **{VERSION_FIELD: str(assessment.version)})
        response = client.post(url, {**complete, "submit": ""})
        assessment.refresh_from_db()
        assert response.status_code == 302 and assessment.status == S.AWAITING_REVIEW
        # 95 points, but a criterion below half its points: "good", not "excellent".
        assert (assessment.self_overall_score, assessment.self_rating) == (Decimal("95.00"), Rating.GOOD)

        # Submitted: the form is closed, and the service refuses.
        assert client.get(url).status_code == 302
        with pytest.raises(ValidationError) as refused:
            self_services.self_assessment_save(
                user=assessment.person.account, framework=self_framework, values=marks(criteria)
            )
        assert refused.value.code == "self_submitted"
        detail = client.get(reverse("assessments:self_detail", args=[assessment.pk]))
        assert detail.status_code == 200 and 'id="self-score">95</div>' in detail.text

    def test_the_list_says_a_drafts_points_are_partial(
        self, secretary_client, secretary, self_framework, criteria
    ):
        """QA: a draft with 1 of 11 criteria scored read "Điểm tự chấm: 7", as if it were the score."""
        self_services.self_assessment_save(
            user=secretary, framework=self_framework, values={criteria[2].pk: 7}
        )
        listing = " ".join(secretary_client.get(reverse("assessments:self_list")).text.split())
        assert f"Điểm tự chấm đến nay: 7 (đã chấm 1/{len(criteria)} tiêu chí)" in listing
        assert "Điểm tự chấm: 7" not in listing
        self_services.self_assessment_save(user=secretary, framework=self_framework, values=marks(criteria))
        listing = " ".join(secretary_client.get(reverse("assessments:self_list")).text.split())
        assert "Điểm tự chấm: 100" in listing and "data-scored-so-far" not in listing

    def test_a_score_typed_with_a_decimal_stays_typed_and_is_said_wrong(
        self, secretary_client, self_framework, criteria
    ):
        """No maxlength cuts "7,5" to "7" unseen: it comes back as typed, with what a score is beside it."""
        url = reverse("assessments:self_form", args=[self_framework.pk])
        box = secretary_client.get(url).text.split(f'name="score_{criteria[0].pk}"')[1]
        assert "maxlength" not in box[: box.index(">")]
        data = form_data(criteria, marks(criteria), **{VERSION_FIELD: "0"})
        data[f"score_{criteria[0].pk}"] = "7,5"
        response = secretary_client.post(url, {**data, "save": ""})
        assert response.status_code == 200
        high = criteria[0].max_points
        assert response.context["form"].errors[f"score_{criteria[0].pk}"] == [
            f"Nhập số nguyên từ 0 đến {high}."
        ]
        assert 'value="7,5"' in response.text
        assert not Assessment.objects.filter(framework=self_framework).exists()

    def test_a_refused_draft_lists_what_to_correct_above_the_form(
        self, secretary_client, self_framework, criteria
    ):
        """The page is some 3,700 px on a phone: a bad score in part 3 is out of view without the summary."""
        url = reverse("assessments:self_form", args=[self_framework.pk])
        data = form_data(criteria, marks(criteria), **{VERSION_FIELD: "0"})
        data[f"score_{criteria[-1].pk}"] = "abc"
        response = secretary_client.post(url, {**data, "save": ""})
        assert response.status_code == 200
        html = response.text
        start = html.index('id="form-errors"')
        summary = html[start : html.index("</ul>", start)]
        criterion = criteria[-1]
        assert "Một số mục cần sửa. Chưa lưu gì." in summary
        assert f'href="#id_score_{criterion.pk}"' in summary
        assert f"{criterion.group.order}.{criterion.order}. {criterion.name}" in summary
        assert html.index('id="form-errors"') < html.index("<form", html.index("<main"))

    def test_the_overall_comment_is_limited_as_the_notes_are(
        self, secretary_client, self_framework, criteria
    ):
        """20,000 characters were accepted and submitted, to be read by the unit on a 14,000 px page."""
        url = reverse("assessments:self_form", args=[self_framework.pk])
        data = form_data(criteria, marks(criteria), comment="x" * 2001, **{VERSION_FIELD: "0"})
        response = secretary_client.post(url, {**data, "submit": ""})
        assert response.status_code == 200
        note_limit = response.context["form"].fields[f"note_{criteria[0].pk}"].max_length
        assert note_limit == 2000
        assert response.context["form"].errors["comment"] == ["Tối đa 2000 ký tự (đang có 2001)."]
        assert not Assessment.objects.filter(framework=self_framework).exists()
        data["comment"] = "x" * 2000
        assert secretary_client.post(url, {**data, "save": ""}).status_code == 302

    def test_the_own_page_shows_the_self_score_while_the_unit_reviews_and_each_periods_scale(
        self, secretary_client, secretary, self_framework, criteria, world
    ):
        """A period sent to the unit has no unit score yet: its row shows the secretary's own, not four
        dashes; and each overall score says its scale (points of 100 beside a 1–5 average)."""
        self_submitted(secretary, self_framework, criteria, c0=3)
        page = " ".join(secretary_client.get(reverse("own:home")).content.decode().split())
        own = page[page.index('id="own-assessments"') :]
        assert "data-self-overall> Tự đánh giá: " in own
        said = own.split("data-self-overall>")[1].split("</div>")[0]
        assert said.strip().startswith("Tự đánh giá:") and said.strip().endswith("/100")

    def test_points_show_as_whole_numbers(
        self, secretary_client, secretary, self_framework, criteria, tieu_can_officer
    ):
        """Points out of 100 are sums of whole points: 95/100 and a part's 30, not 95,00/100 and 30,00, on
        the secretary's pages and the unit's (Framework.score_places)."""
        assessment = self_submitted(secretary, self_framework, criteria, c0=3)
        squeezed = lambda response: " ".join(response.content.decode().split())  # noqa: E731
        own = squeezed(secretary_client.get(reverse("own:home")))
        assert "Tự đánh giá: 95/100" in own and "95,00" not in own
        mine = squeezed(secretary_client.get(reverse("assessments:self_detail", args=[assessment.pk])))
        assert 'id="self-score">95</div>' in mine and "Tự chấm</span> 30/30 " in mine and ",00" not in mine
        from django.test import Client

        client = Client()
        client.force_login(tieu_can_officer)
        staff = squeezed(client.get(reverse("assessments:assessment_detail", args=[assessment.pk])))
        assert "Tự đánh giá: <strong>95</strong>" in staff and "Tự ĐG: 30 ·" in staff and ",00" not in staff

    def test_a_long_link_to_the_evidence_is_kept_whole(self, secretary_client, self_framework, criteria):
        """A shared folder's address runs to hundreds of characters: a box of 500 cut it, and broke it."""
        from assessments.models import SelfScore

        url = reverse("assessments:self_form", args=[self_framework.pk])
        link = "https://drive.google.com/drive/folders/" + "x" * 620
        data = form_data(criteria, marks(criteria), **{VERSION_FIELD: "0"})
        data[f"note_{criteria[0].pk}"] = link
        assert secretary_client.post(url, {**data, "save": ""}).status_code == 302
        assert SelfScore.objects.get(criterion=criteria[0]).comment == link

    def test_only_ones_own_record(self, secretary_client, secretary, self_framework, criteria, world):
        other_person = person_with_term(
            branch=BranchFactory(commune=world["cang_long"].commune), full_name="Người Khác"
        )
        other = UserFactory(username="bithu.khac", role="secretary", person=other_person)
        mine = self_submitted(secretary, self_framework, criteria)
        client = secretary_client
        assert client.get(reverse("assessments:self_detail", args=[mine.pk])).status_code == 200
        client.force_login(other)
        assert client.get(reverse("assessments:self_detail", args=[mine.pk])).status_code == 404
        # Their own list shows their own period, not yet begun.
        assert [i.assessment for i in self_assessments_for(other_person)] == [None]

    def test_staff_get_404_on_the_secretarys_pages_and_the_secretary_on_staff_pages(
        self, as_persona, secretary, self_framework, criteria
    ):
        mine = self_submitted(secretary, self_framework, criteria)
        staff = as_persona("tra_vinh_staff")
        for url in (
            reverse("assessments:self_list"),
            reverse("assessments:self_form", args=[self_framework.pk]),
            reverse("assessments:self_detail", args=[mine.pk]),
        ):
            assert staff.get(url).status_code == 404, url
        staff.force_login(secretary)
        assert staff.get(mine.get_absolute_url()).status_code == 404
        assert staff.get(reverse("assessments:assessment_update", args=[mine.pk])).status_code == 404

    def test_a_framework_without_the_step_is_not_open(self, secretary_client, secretary, framework):
        assert secretary_client.get(reverse("assessments:self_form", args=[framework.pk])).status_code == 404
        with pytest.raises(ValidationError) as refused:
            self_services.self_assessment_save(user=secretary, framework=framework, values={})
        assert refused.value.code == "no_self_step"

    def test_only_a_secretary_assesses_themselves(self, tieu_can_officer, self_framework):
        with pytest.raises(PermissionDenied):
            self_services.self_assessment_save(user=tieu_can_officer, framework=self_framework, values={})


class TestTheUnitsReview:
    def test_the_unit_waits_for_the_self_assessment(
        self, secretary, self_framework, criteria, world, tieu_can_officer
    ):
        person = world["tieu_can_person"]
        with pytest.raises(ValidationError) as refused:
            services.assessment_save(
                person=person, framework=self_framework, assessor=tieu_can_officer, values=marks(criteria)
            )
        assert refused.value.code == "awaiting_self_assessment"
        self_services.self_assessment_save(user=secretary, framework=self_framework, values=marks(criteria))
        with pytest.raises(ValidationError) as refused:
            services.assessment_save(
                person=person, framework=self_framework, assessor=tieu_can_officer, values=marks(criteria)
            )
        assert refused.value.code == "self_assessing"

    def test_without_an_account_the_unit_enters_as_ever(
        self, self_framework, criteria, world, tieu_can_officer
    ):
        saved = services.assessment_save(
            person=world["tieu_can_person"],
            framework=self_framework,
            assessor=tieu_can_officer,
            values=marks(criteria),
            submit=True,
        )
        assert (
            saved.status == S.SUBMITTED and saved.rating == Rating.EXCELLENT and not saved.was_self_assessed
        )

    def test_review_beside_the_self_scores_then_confirm_and_reopen(
        self, secretary, self_framework, criteria, as_persona, tra_vinh_staff
    ):
        first = criteria[0]
        assessment = self_services.self_assessment_save(  # 100: excellent by themselves
            user=secretary,
            framework=self_framework,
            values=marks(criteria),
            comments={first.pk: "Họp chi đoàn đủ 12 kỳ <b>đúng hạn</b>"},
            submit=True,
        )
        officer = as_persona("tieu_can_officer")
        url = reverse("assessments:assessment_update", args=[assessment.pk])
        page = officer.get(url)
        assert page.status_code == 200
        assert f'name="self_{first.pk}"' in page.text and "disabled" in page.text
        # What the secretary wrote they did is before the unit, as their text (escaped).
        assert "Việc đã làm: Họp chi đoàn đủ 12 kỳ &lt;b&gt;đúng hạn&lt;/b&gt;" in page.text
        groups = {c.group_id for c in criteria}
        data = form_data(
            criteria,
            marks(criteria, 0.8),
            assessed_on=timezone.localdate().strftime("%d/%m/%Y"),
            comment="Cần cố gắng thêm",
            **{f"part_{g}": f"Nhận xét phần {g}" for g in groups},
            **{VERSION_FIELD: str(assessment.version)},
        )
        response = officer.post(url, {**data, "submit": ""})
        assert response.status_code == 302
        assessment.refresh_from_db()
        assert assessment.status == S.SUBMITTED and assessment.assessor.username != secretary.username
        # Both stay: the unit's 80 points ("good") beside the secretary's 100 ("excellent").
        assert (assessment.overall_score, assessment.rating) == (Decimal("80.00"), Rating.GOOD)
        assert (assessment.self_overall_score, assessment.self_rating) == (
            Decimal("100.00"),
            Rating.EXCELLENT,
        )
        assert sorted(
            GroupReview.objects.filter(assessment=assessment).values_list("comment", flat=True)
        ) == sorted(f"Nhận xét phần {g}" for g in groups)
        detail = officer.get(assessment.get_absolute_url())
        assert '<div class="stat-value">80</div>' in detail.text and "<strong>100</strong>" in detail.text
        assert "Nhận xét phần" in detail.text

        assert "Việc đã làm:</strong> Họp chi đoàn đủ 12 kỳ &lt;b&gt;đúng hạn&lt;/b&gt;" in detail.text

        # The secretary reads the unit's review as such, not as "sent" (they had sent it themselves).
        reviewed = as_persona("anonymous")
        reviewed.force_login(secretary)
        badge = reviewed.get(reverse("assessments:self_detail", args=[assessment.pk])).text
        assert "Đơn vị đã đánh giá, chờ xác nhận" in badge

        staff = as_persona("tra_vinh_staff")
        # Confirming locks it: asked first.
        assert 'data-confirm="Xác nhận bản đánh giá này?' in staff.get(assessment.get_absolute_url()).text
        staff.post(reverse("assessments:assessment_confirm", args=[assessment.pk]))
        assessment.refresh_from_db()
        assert assessment.status == S.CONFIRMED
        # The secretary reads what the unit wrote: on each part, on a criterion, overall; and who confirmed.
        Score.objects.filter(assessment=assessment, criterion=first).update(comment="Cần ghi biên bản")
        own = as_persona("anonymous")
        own.force_login(secretary)
        mine = own.get(reverse("assessments:self_detail", args=[assessment.pk])).text
        assert "Nhận xét phần" in mine and "Cần ghi biên bản" in mine and "Cần cố gắng thêm" in mine
        # Whose each badge is, in words above each part's criteria (a title is not read on a phone: QA3 F10).
        legend = mine.split("data-score-legend>")[1].split("</li>")[0]
        assert '"badge text-bg-light">Tự chấm<' in legend and '"badge text-bg-secondary">Đơn vị<' in legend
        assert mine.count("data-score-legend") == len(groups)
        assert f"Xác nhận ngày {timezone.localdate():%d/%m/%Y}" in mine
        assert secretary.get_full_name() in mine or assessment.person.full_name in mine
        # Their data export holds it all: per period, the unit's scores and comments, their own and notes.
        from io import BytesIO

        from openpyxl import load_workbook

        workbook = load_workbook(BytesIO(b"".join(own.get(reverse("own:export")).streaming_content)))
        criteria_sheet = next(ws for ws in workbook.worksheets if ws.title == "Tiêu chí")
        rows = [r for r in criteria_sheet.iter_rows(values_only=True) if r and first.name in r]
        assert any(
            assessment.period_label in r
            and "Cần ghi biên bản" in r
            and "Họp chi đoàn đủ 12 kỳ <b>đúng hạn</b>" in r
            for r in rows
        ), rows
        overall = next(ws for ws in workbook.worksheets if ws.title == "Đánh giá")
        assert any("Cần cố gắng thêm" in r for r in overall.iter_rows(values_only=True) if r)
        services.assessment_reopen(assessment=assessment, user=tra_vinh_staff, reason="Sai điểm")
        assessment.refresh_from_db()
        assert assessment.status == S.DRAFT and assessment.self_overall_score == Decimal("100.00")
        statuses = list(assessment.history.order_by("history_date").values_list("status", flat=True))
        assert statuses == [S.AWAITING_REVIEW, S.SUBMITTED, S.CONFIRMED, S.DRAFT]
        assert assessment.self_scores.count() == len(criteria)
        # The secretary sees the unit's scores once reviewed.
        mine = as_persona("anonymous")
        mine.force_login(secretary)
        page = mine.get(reverse("assessments:self_detail", args=[assessment.pk]))
        assert page.status_code == 200
        # QA3 F5: reopened, not "not yet reviewed" (they had read the confirmed score): when, and what next.
        card = " ".join(page.text.split("data-sent-back>")[1].split("</div>")[0].split())
        assert f"Được mở lại để sửa ngày {timezone.localdate():%d/%m/%Y}." in card
        assert "Đơn vị chưa đánh giá" not in page.text and "Sai điểm" not in page.text

    def test_the_units_review_draft_reads_to_the_secretary_as_the_unit_reviewing(
        self, secretary, secretary_client, self_framework, criteria, tieu_can_officer
    ):
        """Their sent self-assessment stays on their page once the unit starts its review (its draft), said
        as the unit reviewing it, never "Nháp"; the draft's scores stay the unit's own until it sends them."""
        assessment = self_submitted(secretary, self_framework, criteria)
        self_services.assessment_review_save(
            assessment=assessment,
            assessor=tieu_can_officer,
            values=marks(criteria, 0.5),
            version=assessment.version,
        )
        assessment.refresh_from_db()
        assert assessment.status == S.DRAFT and assessment.overall_score == Decimal("51.00")
        own = secretary_client.get(reverse("own:home")).text
        own = own[own.index('id="own-assessments"') :]
        assert assessment.period_label in own and "Đơn vị đang đánh giá" in own
        assert "Nháp" not in own and "51,00" not in own
        for url in (
            reverse("assessments:self_list"),
            reverse("assessments:self_detail", args=[assessment.pk]),
        ):
            page = secretary_client.get(url).text
            assert "Đơn vị đang đánh giá" in page and "Nháp" not in page, url

    def test_an_officer_of_another_unit_gets_404(self, secretary, self_framework, criteria, as_persona):
        assessment = self_submitted(secretary, self_framework, criteria)
        other = as_persona("cang_long_officer")
        assert other.get(reverse("assessments:assessment_update", args=[assessment.pk])).status_code == 404
        assert other.get(assessment.get_absolute_url()).status_code == 404

    def test_the_grid_shows_self_scores_beside_the_units(
        self, secretary, self_framework, criteria, as_persona, world, count_queries
    ):
        self_submitted(secretary, self_framework, criteria, c0=5)
        client = as_persona("tieu_can_officer")
        url = reverse("assessments:commune_grid", args=[world["tieu_can"].commune.code])
        url = f"{url}?framework={self_framework.pk}"
        with count_queries() as small:
            page = client.get(url)
        assert page.status_code == 200
        assert page.text.count("self-score-cell") == len(criteria) and "100,00" not in page.text
        # The secretary's overall, in whole points as everywhere (Framework.score_places).
        assert "Tự đánh giá: 97" in " ".join(page.text.split()) and "97,00" not in page.text
        # More secretaries who assess themselves: the grid still costs the same.
        for number in range(3):
            person = person_with_term(
                branch=BranchFactory(commune=world["tieu_can"].commune, name=f"Ấp Mới {number}"),
                full_name=f"Người Thử {number}",
            )
            user = UserFactory(username=f"bithu.moi{number}", role="secretary", person=person)
            self_submitted(user, self_framework, criteria)
        with count_queries() as large:
            page = client.get(url)
        assert page.text.count("self-score-cell") == 4 * len(criteria)
        assert len(large) == len(small)


def test_pages_of_the_secretary_cost_the_same_with_more_data(
    client, secretary, self_framework, criteria, count_queries, world
):
    assessment = self_submitted(secretary, self_framework, criteria)
    client.force_login(secretary)
    urls = [
        reverse("assessments:self_list"),
        reverse("assessments:self_detail", args=[assessment.pk]),
    ]
    small = []
    for url in urls:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        small.append(len(counted))
    another = framework_create_points(
        year=timezone.localdate().year - 1,
        province=world["tieu_can"].commune.province,
        name="Năm trước",
        self_assessment=True,
    )
    Assessment.objects.create(
        person=secretary.person,
        framework=another,
        branch=assessment.branch,
        commune=assessment.commune,
        district=assessment.district,
        province=assessment.province,
        assessor=secretary,
        assessed_on=timezone.localdate(),
        status=S.CONFIRMED,
        confirmed_by=secretary,
        confirmed_at=timezone.now(),
    )
    for url, before in zip(urls, small, strict=True):
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        assert len(counted) == before, url


class TestEarlierAssessments:
    """The secretary opens every assessment made of them: the rows of /toi/ and the list of
    /assessments/self/, earlier years and frameworks included (QA2, item 4)."""

    @staticmethod
    def confirmed_earlier(person, world, officer):
        """A 2025 assessment by the unit on the 1–5 scale (no self-assessment step), confirmed, commented."""
        from assessments.models import Framework
        from tests.conftest import framework_2026

        framework = Framework.objects.filter(year=2024, name="Bộ tiêu chí 2024").first()
        framework = framework or services.framework_copy(
            framework=framework_2026(), year=2024, name="Bộ tiêu chí 2024"
        )
        criteria = services.framework_criteria(framework)
        assessment = services.assessment_save(
            person=person,
            framework=framework,
            assessor=officer,
            values={c.pk: 3 for c in criteria},
            comments={criteria[0].pk: "Chưa thực hiện thường xuyên."},
            submit=True,
        )
        services.assessment_confirm(assessment=assessment, user=officer)
        return assessment

    def test_the_rows_and_the_list_open_earlier_assessments(
        self, secretary_client, secretary, self_framework, criteria, world, tra_vinh_staff
    ):
        earlier = self.confirmed_earlier(secretary.person, world, tra_vinh_staff)
        detail = reverse("assessments:self_detail", args=[earlier.pk])
        own = " ".join(secretary_client.get(reverse("own:home")).text.split())
        assert f'href="{detail}" data-own-assessment' in own
        listing = secretary_client.get(reverse("assessments:self_list")).text
        assert f'href="{detail}"' in listing and 'data-year="2024"' in listing
        page = secretary_client.get(detail)
        assert page.status_code == 200
        text = " ".join(page.text.split())
        # The unit's scores and comment; no column of dashes for a self-assessment there was none of.
        assert "Chưa thực hiện thường xuyên." in text and 'id="self-score"' not in text
        assert "Đơn vị</span> <strong>3,00/5</strong>" in text

    def test_years_newest_first_and_never_anothers(
        self, secretary_client, secretary, self_framework, criteria, world, tra_vinh_staff
    ):
        earlier = self.confirmed_earlier(secretary.person, world, tra_vinh_staff)
        mine = self_submitted(secretary, self_framework, criteria)
        listing = secretary_client.get(reverse("assessments:self_list")).text
        # This year's period is above, once; the earlier year below it.
        assert listing.count(reverse("assessments:self_detail", args=[mine.pk])) == 1
        assert listing.index(f'data-past-assessment="{earlier.pk}"') > listing.index("self-items")
        other = self.confirmed_earlier(world["cang_long_person"], world, tra_vinh_staff)
        assert (
            f'data-past-assessment="{other.pk}"'
            not in secretary_client.get(reverse("assessments:self_list")).text
        )
        assert secretary_client.get(reverse("assessments:self_detail", args=[other.pk])).status_code == 404

    def test_the_units_own_draft_stays_the_units(self, secretary_client, secretary, world):
        """Not listed on /toi/, so not opened by its id either."""
        draft = world["tieu_can_assessment"]
        assert draft.person == secretary.person and draft.status == S.DRAFT
        assert secretary_client.get(reverse("assessments:self_detail", args=[draft.pk])).status_code == 404

    def test_periods_read_as_on_the_assessments_page(self, secretary_client, world):
        """ "Quý 4/2026" on the lists as on the assessment's page, not "… · quý 4"."""
        framework = framework_create_points(
            year=timezone.localdate().year,
            province=world["tieu_can"].commune.province,
            name="Theo quý",
            self_assessment=True,
            period=Period.QUARTER,
        )
        quarter = (timezone.localdate().month - 1) // 3 + 1
        label = f"Quý {quarter}/{framework.year}"
        for url in (reverse("own:home"), reverse("assessments:self_list")):
            page = " ".join(secretary_client.get(url).text.split())
            assert f"Theo quý · {label}" in page and "· quý" not in page, url


class TestQuartersGoToTheBranchLedThen:
    """A quarter's self-assessment is filed under the branch the secretary led in that quarter, and only the
    quarters in which they held a term are offered (QA3 F2: a Q1 filed under the branch led since April)."""

    @pytest.fixture
    def moved(self, world, monkeypatch):
        import datetime

        from secretaries.models import Term

        year = timezone.localdate().year
        monkeypatch.setattr(
            "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(year, 12, 10)
        )
        framework = framework_create_points(
            year=year,
            province=world["tieu_can"].commune.province,
            name="Theo quý",
            self_assessment=True,
            period=Period.QUARTER,
        )
        old = world["cang_long"]
        person = PersonFactory(branch=old)
        Term.objects.create(
            person=person,
            branch=old,
            started_on=datetime.date(year - 2, 6, 3),
            ended_on=datetime.date(year, 3, 31),
        )
        new = BranchFactory(commune=world["tieu_can"].commune, name="Ấp Ông Rùm")
        Term.objects.create(person=person, branch=new, started_on=datetime.date(year, 4, 1))
        user = UserFactory(username="bithu.doinhanh", role="secretary", person=person)
        return {"framework": framework, "person": person, "user": user, "old": old, "new": new}

    def save(self, moved, quarter, **kwargs):
        framework = moved["framework"]
        values = marks(services.framework_criteria(framework))
        return self_services.self_assessment_save(
            user=moved["user"], framework=framework, values=values, quarter=quarter, **kwargs
        )

    def test_each_quarter_goes_to_the_branch_led_then(self, moved, as_persona):
        first, second = self.save(moved, 1, submit=True), self.save(moved, 2)
        assert (first.branch, first.commune) == (moved["old"], moved["old"].commune)
        assert first.district == moved["old"].commune.district
        assert (second.branch, second.commune) == (moved["new"], moved["new"].commune)
        # The unit that reviews Q1 is the branch's of Q1: Càng Long finds it, Tiểu Cần does not.
        url = reverse("assessments:assessment_update", args=[first.pk])
        assert as_persona("cang_long_officer").get(url).status_code == 200
        assert as_persona("tieu_can_officer").get(url).status_code == 404

    def test_a_draft_filed_under_todays_branch_moves_to_its_quarters(self, moved):
        draft = self.save(moved, 1)
        Assessment.objects.filter(pk=draft.pk).update(branch=moved["new"], commune=moved["new"].commune)
        draft.refresh_from_db()
        again = self.save(moved, 1, version=draft.version)
        assert (again.pk, again.branch, again.commune) == (draft.pk, moved["old"], moved["old"].commune)

    def test_only_the_quarters_with_a_term_are_offered(self, moved, world):
        import datetime

        from secretaries.models import Term

        offered = [i.quarter for i in self_assessments_for(moved["person"])]
        assert offered == [4, 3, 2, 1]
        # Appointed in November: only Q4 is theirs.
        late = person_with_term(branch=BranchFactory(commune=world["tieu_can"].commune))
        Term.objects.filter(person=late).update(started_on=datetime.date(moved["framework"].year, 11, 2))
        user = UserFactory(username="bithu.moi", role="secretary", person=late)
        assert [i.quarter for i in self_assessments_for(late)] == [4]
        with pytest.raises(ValidationError) as refused:
            self_services.self_assessment_save(
                user=user,
                framework=moved["framework"],
                values=marks(services.framework_criteria(moved["framework"])),
                quarter=2,
            )
        assert refused.value.code == "no_branch"


class TestWiring:
    """The own page's skill card leads to the self-assessment; the unit's first screen counts what waits."""

    def test_the_own_page_links_to_the_open_self_assessment_and_the_list(
        self, secretary_client, self_framework
    ):
        page = secretary_client.get(reverse("own:home")).content.decode()
        assert reverse("assessments:self_form", args=[self_framework.pk]) in page
        assert reverse("assessments:self_list") in page
        listing = secretary_client.get(reverse("assessments:self_list")).content.decode()
        assert f'href="{reverse("own:home")}"' in listing  # the breadcrumb back to /toi/

    def test_no_link_without_a_framework_asking_for_it(self, secretary_client):
        page = secretary_client.get(reverse("own:home")).content.decode()
        assert "own-self-assessments" not in page

    def test_the_migration_counts_the_self_assessments_waiting_before_it(
        self, secretary, self_framework, criteria
    ):
        """assessments/migrations/0010: the rows kept before the count existed get it from the records."""
        import importlib

        from django.apps import apps

        from assessments.models import AssessmentTotal

        self_submitted(secretary, self_framework, criteria)
        AssessmentTotal.objects.update(awaiting_review=0)  # as the rows stood before the migration
        migration = importlib.import_module("assessments.migrations.0010_totals_awaiting_review")
        migration.count_awaiting_review(apps, None)
        counted = AssessmentTotal.objects.filter(framework=self_framework).values_list(
            "awaiting_review", flat=True
        )
        assert sorted(counted) == [1]

    def test_the_units_first_screen_counts_self_assessments_waiting(
        self, client, secretary, self_framework, criteria, tieu_can_officer
    ):
        from tests.aggregates import assert_totals_exact

        self_submitted(secretary, self_framework, criteria)
        # Counted in the totals the first screen sums, by the self-assessment's own write, as a rebuild finds
        assert_totals_exact()
        client.force_login(tieu_can_officer)
        page = client.get(reverse("home")).content.decode()
        assert 'data-stat="awaiting-review">1<' in page
        link = f"{reverse('assessments:assessment_list')}?framework={self_framework.pk}&amp;status=cho_don_vi"
        assert link in page
        listing = client.get(link.replace("&amp;", "&")).content.decode()
        assert secretary.person.full_name in listing

    def test_the_units_list_shows_the_self_score_of_those_waiting(
        self, client, secretary, self_framework, criteria, tieu_can_officer
    ):
        """QA: every row waiting for the unit's review read "—" as score and rating: the secretary's own,
        said to be theirs, until the unit's are there."""
        waiting = self_submitted(secretary, self_framework, criteria, c0=3)
        client.force_login(tieu_can_officer)
        url = reverse("assessments:assessment_list")
        listing = " ".join(client.get(url, {"framework": self_framework.pk}).content.decode().split())
        assert "<span data-self-score>95</span>" in listing
        assert (
            'Hoàn thành tốt nhiệm vụ <span class="text-muted small" data-self-rating>(tự chấm)</span>'
            in listing
        )
        services.assessment_save(
            person=waiting.person,
            framework=self_framework,
            assessor=tieu_can_officer,
            values=marks(criteria),
            assessment=waiting,
            version=waiting.version,
        )
        listing = client.get(url, {"framework": self_framework.pk}).content.decode()
        assert "data-self-score" not in listing and "data-self-rating" not in listing

    def test_the_first_screen_names_what_waits_in_the_years_other_framework(
        self, client, secretary, self_framework, tieu_can_officer, world
    ):
        """A province's quarterly framework beside its annual one: its self-assessments waiting for the unit
        are on the first screen too, a line under the year's cards (they were on no screen but the list)."""
        from assessments.models import Period

        quarterly = framework_create_points(
            year=self_framework.year,
            province=self_framework.province,
            name="Theo quý",
            period=Period.QUARTER,
            self_assessment=True,
        )
        self_services.self_assessment_save(
            user=secretary,
            framework=quarterly,
            values=marks(services.framework_criteria(quarterly)),
            submit=True,
            quarter=1,
        )
        client.force_login(tieu_can_officer)
        page = client.get(reverse("home")).content.decode()
        assert 'data-stat="awaiting-review">0<' in page  # the year's framework: nothing waits there
        # The cards say which framework they count, as another one is listed below them.
        named = page[page.index('data-home="framework"') :]
        assert self_framework.name in named[: named.index("</p>")]
        line = page[page.index('data-home="other-frameworks"') :]
        line = line[: line.index("</ul>")]
        assert "Theo quý" in line and "1 bản tự đánh giá chờ đơn vị đánh giá" in line
        assert f"?framework={quarterly.pk}&amp;status=cho_don_vi" in line
        # Its list opens on every quarter, as the count is (alone, it shows the latest quarter: 2's draft).
        other = person_with_term(branch=BranchFactory(commune=world["tieu_can"].commune))
        services.assessment_save(
            person=other, framework=quarterly, assessor=tieu_can_officer, values={}, quarter=2
        )
        link = line[line.index(f"?framework={quarterly.pk}&amp;status=cho_don_vi") :]
        link = reverse("assessments:assessment_list") + link[: link.index('"')].replace("&amp;", "&")
        assert [a.person for a in client.get(link).context["assessments"]] == [secretary.person]


class TestTheUnitStepsInOnceThePeriodHasEnded:
    """QA3 F2: a secretary with an account who never sent their self-assessment kept their unit from assessing
    them for the whole period, and for ever after. Once the period has ended (a quarter's last day, a year's
    31/12) the unit assesses in their place, over their draft if they began one, which is then closed to them
    and keeps what they had scored, read-only; before, the rule stands and the grid says until when."""

    @pytest.fixture
    def last_year(self, world):
        """Last year's quarterly framework: every quarter of it has ended."""
        return framework_create_points(
            year=timezone.localdate().year - 1,
            province=world["tieu_can"].commune.province,
            name="Theo quý năm trước",
            self_assessment=True,
            period=Period.QUARTER,
        )

    @pytest.fixture
    def this_year(self, world):
        return framework_create_points(
            year=timezone.localdate().year,
            province=world["tieu_can"].commune.province,
            name="Theo quý năm nay",
            self_assessment=True,
            period=Period.QUARTER,
        )

    def test_the_unit_assesses_over_a_draft_and_a_missing_one_once_the_period_ended(
        self, secretary, last_year, this_year, world, tieu_can_officer
    ):
        from assessments.models import SelfScore

        person = world["tieu_can_person"]
        criteria = services.framework_criteria(last_year)
        draft = self_services.self_assessment_save(
            user=secretary, framework=last_year, values={criteria[0].pk: 5}, quarter=3
        )
        saved = services.assessment_save(
            person=person, framework=last_year, assessor=tieu_can_officer, values=marks(criteria), quarter=3
        )
        assert saved.pk == draft.pk and saved.status == S.DRAFT and saved.overall_score == 100
        assert saved.self_step_skipped and saved.shows_self_scores and not saved.was_self_assessed
        # What they had scored stays theirs, read-only: their draft is closed to them.
        assert saved.self_overall_score == 5
        assert SelfScore.objects.get(assessment=saved, criterion=criteria[0]).value == 5
        with pytest.raises(ValidationError) as refused:
            self_services.self_assessment_save(
                user=secretary, framework=last_year, values=marks(criteria), quarter=3, version=saved.version
            )
        assert refused.value.code == "self_closed"
        # Never begun: the unit assesses them as one without an account.
        missing = services.assessment_save(
            person=person, framework=last_year, assessor=tieu_can_officer, values=marks(criteria), quarter=2
        )
        assert missing.self_step_skipped and not missing.shows_self_scores
        # A secretary without an account is assessed as ever, not "in their place".
        plain = person_with_term(branch=BranchFactory(commune=world["tieu_can"].commune, name="Ấp Không Có"))
        ordinary = services.assessment_save(
            person=plain, framework=last_year, assessor=tieu_can_officer, values=marks(criteria), quarter=3
        )
        assert not ordinary.self_step_skipped and not ordinary.is_unit_reviewing
        # The quarter under way: the secretary still comes first.
        with pytest.raises(ValidationError) as refused:
            services.assessment_save(
                person=person,
                framework=this_year,
                assessor=tieu_can_officer,
                values=marks(criteria),
                quarter=(timezone.localdate().month - 1) // 3 + 1,
            )
        assert refused.value.code == "awaiting_self_assessment"

    def test_the_grid_opens_the_rows_once_the_period_ended_and_says_until_when_before(
        self, secretary, last_year, this_year, world, as_persona
    ):
        person = world["tieu_can_person"]
        criteria = services.framework_criteria(last_year)
        draft = self_services.self_assessment_save(
            user=secretary, framework=last_year, values={criteria[0].pk: 5}, quarter=3
        )
        client = as_persona("tieu_can_officer")
        url = reverse("assessments:commune_grid", args=[world["tieu_can"].commune.code])
        cell = f'name="s-{person.pk}-{criteria[0].pk}"'
        for quarter in (2, 3):
            page = " ".join(client.get(url, {"framework": last_year.pk, "quarter": quarter}).text.split())
            row = page.split(cell)[1].split("</tr>")[0]
            assert "disabled" not in page.split(cell)[1].split(">")[0], quarter
            assert "Chưa tự đánh giá — đơn vị đánh giá thay" in row and "Chờ Bí thư" not in row, quarter
        # Under the unit's cells, what they had scored of their draft.
        assert "self-score-cell" in row
        data = {"framework": last_year.pk, "quarter": 3, "save": "1", f"v-{person.pk}": str(draft.version)}
        data |= {f"s-{person.pk}-{c.pk}": str(c.max_points) for c in criteria}
        assert client.post(url, data).status_code == 302
        draft.refresh_from_db()
        assert draft.status == S.DRAFT and draft.overall_score == 100 and draft.self_overall_score == 5
        # The quarter under way: read-only, and the day the unit may step in.
        quarter = (timezone.localdate().month - 1) // 3 + 1
        from assessments.selectors import period_ends_on

        page = " ".join(client.get(url, {"framework": this_year.pk, "quarter": quarter}).text.split())
        row = page.split(f">{person.full_name}</a>")[1].split("</tr>")[0]
        assert f'name="s-{person.pk}-' not in row  # as text: nothing to type in
        end = period_ends_on(this_year, quarter)
        assert "Chờ Bí thư Chi đoàn tự đánh giá" in row
        assert f"Sau ngày {end:%d/%m/%Y} (hết kỳ đánh giá), đơn vị được đánh giá thay." in row

    def test_the_secretarys_page_says_the_unit_assessed_in_their_place(
        self, secretary, secretary_client, last_year, world, tieu_can_officer
    ):
        criteria = services.framework_criteria(last_year)
        draft = self_services.self_assessment_save(
            user=secretary, framework=last_year, values={criteria[0].pk: 5}, quarter=3
        )
        services.assessment_save(
            person=world["tieu_can_person"],
            framework=last_year,
            assessor=tieu_can_officer,
            values=marks(criteria),
            quarter=3,
        )
        page = " ".join(
            secretary_client.get(reverse("assessments:self_detail", args=[draft.pk])).text.split()
        )
        assert (
            f"Kỳ đánh giá đã kết thúc ngày 30/09/{last_year.year} mà bạn chưa gửi bản tự đánh giá: "
            "đơn vị đánh giá thay bạn."
        ) in page
        # Their draft's score stays, read-only; the unit's shows once sent; no way back into the form.
        assert 'id="self-score">5</div>' in page and "Điểm đơn vị chấm sẽ hiện ở đây khi đơn vị gửi." in page
        assert "Tiếp tục" not in page and "Đơn vị chưa đánh giá" not in page
        form = reverse("assessments:self_form", args=[last_year.pk]) + "?quarter=3"
        assert secretary_client.get(form).status_code in (302, 404)
        listing = " ".join(secretary_client.get(reverse("assessments:self_list")).text.split())
        assert "Chưa tự đánh giá — đơn vị đánh giá thay bạn." in listing
