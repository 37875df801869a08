"""The nomination pages, through real form posts: a district officer nominates (draft, or straight to the
province), each refusal rule shows what it names, withdraw/delete/approve/reject, illegal transitions, and
constant query counts. Who reaches which page is proved in scope_cases_nominations.py (the matrix).

The world (tests/conftest.py): this year's Trà Vinh campaign is open (window today-10 … today+20, quota 2)
and Tiểu Cần has already submitted Nguyễn Văn Tèo. Messages are read in English (the msgids), so the
assertions hold whatever the translation says.
"""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from assessments.services import assessment_save, assessment_submit, framework_criteria
from awards import services
from awards.models import Campaign, Nomination, Quota
from tests.conftest import framework_2026
from tests.factories import BranchFactory, UserFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

# Read when a test needs it, not once at import: a run that crosses Vietnam's midnight would compare
# yesterday's date with the portal's today.
today = timezone.localdate
SUMMARY = "Tổ chức tốt phong trào thanh niên tình nguyện, xây dựng chi đoàn vững mạnh."
REPORT = "I. Sơ lược lý lịch\n\nII. Thành tích đạt được\n- Chi đoàn vững mạnh ba năm liền."


@pytest.fixture
def officer(client, tieu_can_officer, world):
    client.cookies["django_language"] = "en"  # the switch, as a person would
    client.force_login(tieu_can_officer)
    return client


@pytest.fixture
def staff(client, tra_vinh_staff, world):
    client.cookies["django_language"] = "en"  # the switch, as a person would
    login_verified(client, tra_vinh_staff)
    return client


def secretary(commune, **fields):
    return person_with_term(branch=BranchFactory(commune=commune), **fields)


def assessed(person, value: int, *, submit=True):
    """An assessment of the campaign's year with every criterion scored `value` (5 excellent, 4 good,
    3 fulfilled, 2 not fulfilled)."""
    framework = framework_2026()
    assessment = assessment_save(
        person=person,
        framework=framework,
        assessor=UserFactory(role="district_officer", district=person.district),
        values={c.pk: value for c in framework_criteria(framework)},
    )
    return assessment_submit(assessment=assessment) if submit else assessment


def the_campaign(world, **changes) -> Campaign:
    """The world's open campaign, in the assessment framework's year, with `changes` saved."""
    campaign = world["campaign"]
    campaign.year = framework_2026().year
    for name, value in changes.items():
        setattr(campaign, name, value)
    campaign.save()
    return campaign


def create_url(world) -> str:
    return reverse("awards:nomination_create", args=[world["campaign"].pk])


def post_nomination(client, world, person, *, submit=False, summary=SUMMARY, report=REPORT, follow=False):
    data = {"person": person.pk, "summary": summary, "report": report}
    data["submit" if submit else "save"] = "1"
    return client.post(create_url(world), data, follow=follow)


def nominate(client, world, person, *, submit=False) -> Nomination:
    """Through the page, as setup: the redirect is followed so its messages are read and gone."""
    post_nomination(client, world, person, submit=submit, follow=True)
    return Nomination.objects.get(campaign=world["campaign"], person=person)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# The nomination page ---------------------------------------------------------------------------------------


class TestCreatePage:
    def test_window_quota_and_ranked_candidates(self, officer, world, hieu_tu):
        the_campaign(world)
        low, high, unassessed = (
            secretary(hieu_tu, full_name="Trần Văn Ba"),
            secretary(hieu_tu, full_name="Lê Thị Mai"),
            secretary(hieu_tu, full_name="Võ Văn Út"),
        )
        assessed(low, 3)
        assessed(high, 5)
        secretary(world["cang_long"].commune)  # another district's secretary is not offered
        response = officer.get(create_url(world))
        assert response.status_code == 200
        html = response.content.decode()
        assert "20 days left" in html
        assert (today() + days(20)).strftime("%d/%m/%Y") in html
        assert "used 1 of 2, 1 left" in html
        assert (
            f"Eligible secretaries of Huyện Tiểu Cần, ranked by their {today().year} assessment score" in html
        )
        rows = response.context["candidates"]
        # Tèo's 2026 assessment is a draft: it does not count, he ranks with the unassessed, by name.
        assert [r.person for r in rows] == [high, low, world["tieu_can_person"], unassessed]
        assert [r.score for r in rows[:2]] == [5, 3]
        # Ranked by score; those without one come after, unranked.
        ranks = re.findall(r"data-rank>\s*(.*?)\s*</td>", html, re.S)
        assert [re.sub(r"<[^>]+>", "", rank) for rank in ranks] == ["1", "2", "—", "—"]
        # Tèo is nominated already: his row links to the nomination; the others offer "Nominate".
        assert reverse("awards:nomination_detail", args=[world["tieu_can_nomination"].pk]) in html
        assert f'href="?person={high.pk}#nomination-form"' in html
        assert f'href="?person={world["tieu_can_person"].pk}#nomination-form"' not in html

    def test_minimum_rating_lists_only_those_who_reach_it(self, officer, world, hieu_tu):
        the_campaign(world, minimum_rating="tot")
        good, weak = secretary(hieu_tu), secretary(hieu_tu)
        assessed(good, 4)
        assessed(weak, 3)
        response = officer.get(create_url(world))
        assert [r.person for r in response.context["candidates"]] == [good]

    def test_nominate_link_preselects_the_person(self, officer, world, hieu_tu):
        person = secretary(hieu_tu, full_name="Lê Thị Mai")
        response = officer.get(create_url(world), {"person": person.pk})
        assert f'<option value="{person.pk}" selected>Lê Thị Mai' in response.content.decode()
        # Only the chosen option is rendered (the others come from the autocomplete).
        assert response.content.decode().count("<option") == 2

    def test_a_foreign_preselection_is_not_rendered(self, officer, world):
        response = officer.get(create_url(world), {"person": world["cang_long_person"].pk})
        assert "Lê Thị Hồng Nhung" not in response.content.decode()

    def test_a_campaign_under_review_shows_no_form(self, officer, world, tra_vinh_staff):
        services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        response = officer.get(create_url(world))
        assert response.status_code == 200
        html = response.content.decode()
        assert "nominations are not accepted now" in html
        assert 'name="summary"' not in html
        # Nothing to act on either: no quota advice (a decided campaign withdraws nothing), no ranking.
        assert 'id="quota-use"' not in html
        assert 'id="candidates"' not in html

    def test_a_decided_campaign_shows_only_that_it_takes_no_nominations(self, officer, world):
        response = officer.get(reverse("awards:nomination_create", args=[world["decided_campaign"].pk]))
        html = response.content.decode()
        assert "nominations are not accepted now" in html
        assert 'id="quota-use"' not in html
        assert "No place left" not in html
        assert 'id="candidates"' not in html

    @pytest.mark.parametrize("campaign", ["campaign", "decided_campaign"])
    def test_an_ended_district_is_refused(self, officer, world, tieu_can_officer, campaign):
        """A Huyện đoàn after 30/06/2025 reads its campaigns and nominates in none, as the ended Tỉnh đoàn's
        staff: 403 on the form, asked or posted."""
        district = tieu_can_officer.district
        district.ended_on = today() - days(1)
        district.save(update_fields=["ended_on"])
        url = reverse("awards:nomination_create", args=[world[campaign].pk])
        assert officer.get(url).status_code == 403
        assert officer.post(url, {"summary": "x"}).status_code == 403
        assert officer.get(edit_url(world["tieu_can_nomination"])).status_code == 403


class TestCreate:
    def test_save_draft(self, officer, world, hieu_tu):
        person = secretary(hieu_tu, full_name="Lê Thị Mai")
        response = post_nomination(officer, world, person)
        nomination = Nomination.objects.get(person=person)
        assert response.status_code == 302 and response["Location"] == nomination.get_absolute_url()
        assert nomination.status == Nomination.Status.DRAFT
        assert (nomination.summary, nomination.report) == (SUMMARY, REPORT.strip())
        assert (nomination.district, nomination.branch) == (hieu_tu.district, person.terms.get().branch)
        assert messages_of(response) == ["The nomination of Lê Thị Mai was saved as a draft."]

    def test_save_and_submit(self, officer, world, hieu_tu):
        person = secretary(hieu_tu, full_name="Lê Thị Mai")
        response = post_nomination(officer, world, person, submit=True)
        nomination = Nomination.objects.get(person=person)
        assert response["Location"] == nomination.get_absolute_url()
        assert nomination.status == Nomination.Status.SUBMITTED and nomination.submitted_at
        assert messages_of(response) == ["The nomination of Lê Thị Mai was submitted."]
        assert "used 2 of 2, 0 left" in officer.get(create_url(world)).content.decode()

    def test_quota_refusal_keeps_the_draft_and_names_the_quota(self, officer, world, hieu_tu):
        nominate(officer, world, secretary(hieu_tu), submit=True)  # 2 of 2
        third = secretary(hieu_tu, full_name="Võ Văn Út")
        response = post_nomination(officer, world, third, submit=True)
        nomination = Nomination.objects.get(person=third)
        assert nomination.status == Nomination.Status.DRAFT  # kept, to submit when a place frees
        assert response["Location"] == reverse("awards:nomination_update", args=[nomination.pk])
        assert messages_of(response) == [
            "The nomination of Võ Văn Út was saved as a draft but could not be submitted:",
            "Huyện Tiểu Cần's quota is 2 and 2 nominations are already submitted: this one would go over the "
            "quota.",
        ]
        # The edit page it leads to shows the refusal above the form, and the typed text.
        page = officer.get(response["Location"])
        assert "this one would go over the quota" in page.content.decode()
        assert SUMMARY in page.content.decode()

    def test_with_no_place_left_the_page_offers_a_draft_and_says_why(self, officer, world, hieu_tu):
        second = secretary(hieu_tu)
        nominate(officer, world, second, submit=True)  # 2 of 2
        page = officer.get(create_url(world)).content.decode()
        assert 'name="submit"' not in page and "data-quota-full" in page
        Nomination.objects.filter(person=second).delete()  # a place again
        assert 'name="submit"' in officer.get(create_url(world)).content.decode()

    def test_a_unit_quota_below_what_is_used_says_quota_and_use(self, officer, world, hieu_tu, tieu_can):
        Quota.objects.create(campaign=world["campaign"], district=tieu_can, quota=0)
        response = post_nomination(officer, world, secretary(hieu_tu), submit=True)
        # The quota and the places taken, then the rule: not a bare number ("would be 2 over").
        assert "quota is 0 and 1 nominations are already submitted: this one would go over the quota." in (
            " ".join(messages_of(response))
        )

    def test_window_closed_says_since_when(self, officer, world, hieu_tu):
        the_campaign(world, closes_on=today() - days(3))
        person = secretary(hieu_tu)
        response = post_nomination(officer, world, person, submit=True)
        closed = (today() - days(3)).strftime("%d/%m/%Y")
        assert f"Nominations closed on {closed}, 3 days ago." in messages_of(response)
        assert Nomination.objects.get(person=person).status == Nomination.Status.DRAFT
        page = officer.get(create_url(world)).content.decode()
        assert "closed 3 days ago" in page

    def test_window_not_open_yet_says_when(self, officer, world, hieu_tu):
        the_campaign(world, opens_on=today() + days(4), closes_on=today() + days(30))
        response = post_nomination(officer, world, secretary(hieu_tu), submit=True)
        opens = (today() + days(4)).strftime("%d/%m/%Y")
        assert f"Nominations open on {opens}, in 4 days." in messages_of(response)
        assert "opens in 4 days" in officer.get(create_url(world)).content.decode()

    def test_window_opens_tomorrow_in_the_singular(self, officer, world, hieu_tu):
        the_campaign(world, opens_on=today() + days(1), closes_on=today() + days(30))
        response = post_nomination(officer, world, secretary(hieu_tu), submit=True)
        assert any(m.endswith("in 1 day.") for m in messages_of(response))

    def test_not_a_current_secretary_is_refused_with_what_was_typed(self, officer, world, hieu_tu):
        person = secretary(hieu_tu, full_name="Phạm Văn Cũ")
        person.terms.update(ended_on=today() - days(30))
        response = post_nomination(officer, world, person, submit=True)
        assert response.status_code == 200
        assert form_errors(response) == [
            "Phạm Văn Cũ is not a branch secretary now: a current term is required."
        ]
        assert not Nomination.objects.filter(person=person).exists()
        html = response.content.decode()
        assert SUMMARY in html and "Thành tích đạt được" in html
        assert f'<option value="{person.pk}" selected>' in html

    def test_minimum_rating_not_reached_says_how_many_levels_below(self, officer, world, hieu_tu):
        the_campaign(world, minimum_rating="tot")
        two_below, one_below = (
            secretary(hieu_tu, full_name="Trần Văn Hai"),
            secretary(hieu_tu, full_name="Lý Một"),
        )
        assessed(two_below, 2)
        assessed(one_below, 3)
        response = post_nomination(officer, world, two_below, submit=True)
        year = world["campaign"].year
        assert (
            f"A rating of at least “Well fulfilled duties” in {year} is required; Trần Văn Hai is rated "
            "“Did not fulfil duties”, 2 levels below."
        ) in messages_of(response)
        response = post_nomination(officer, world, one_below, submit=True)
        assert any("“Fulfilled duties”, 1 level below." in m for m in messages_of(response))
        assert set(
            Nomination.objects.filter(person__in=[two_below, one_below]).values_list("status", flat=True)
        ) == {Nomination.Status.DRAFT}

    def test_minimum_rating_without_a_submitted_assessment(self, officer, world, hieu_tu):
        the_campaign(world, minimum_rating="tot")
        person = secretary(hieu_tu, full_name="Đặng Văn Nháp")
        assessed(person, 5, submit=False)
        response = post_nomination(officer, world, person, submit=True)
        assert any("has no submitted assessment" in m for m in messages_of(response))

    def test_duplicate_is_refused(self, officer, world):
        response = post_nomination(officer, world, world["tieu_can_person"], summary="Lần hai")
        assert response.status_code == 200
        assert form_errors(response) == ["Nguyễn Văn Tèo is already nominated in this campaign (Submitted)."]
        assert (
            Nomination.objects.filter(campaign=world["campaign"], person=world["tieu_can_person"]).count()
            == 1
        )
        assert "Lần hai" in response.content.decode()

    def test_another_districts_person_is_not_a_valid_choice(self, officer, world):
        foreign = world["cang_long_person"]
        before = Nomination.objects.count()
        response = post_nomination(officer, world, foreign)
        assert response.status_code == 200
        assert "person" in response.context["form"].errors
        assert Nomination.objects.count() == before
        assert foreign.full_name not in response.content.decode()

    def test_missing_and_too_long_fields_come_back_with_what_was_typed(self, officer, world, hieu_tu):
        person = secretary(hieu_tu)
        response = post_nomination(officer, world, person, summary="x" * 601, report="")
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert set(errors) == {"summary", "report"}
        assert "x" * 601 in response.content.decode()
        assert not Nomination.objects.filter(person=person).exists()

    def test_provincial_staff_cannot_nominate(self, staff, world, hieu_tu):
        response = post_nomination(staff, world, secretary(hieu_tu))
        assert response.status_code == 403
        assert Nomination.objects.count() == 4  # the world's two of 2020 and two of this year


# Editing ---------------------------------------------------------------------------------------------------


def edit_url(nomination) -> str:
    return reverse("awards:nomination_update", args=[nomination.pk])


class TestUpdate:
    def test_a_submitted_nomination_is_edited_once_withdrawn_to_draft(self, officer, world):
        """What the province reviews is what was sent: the unit takes it back to draft to change it
        (services.change_refusal)."""
        nomination = world["tieu_can_nomination"]
        refusal = (
            "A submitted nomination cannot be changed: withdraw it to draft first, then submit it again."
        )
        for method in ("get", "post"):
            response = getattr(officer, method)(
                edit_url(nomination), {"summary": "Tóm tắt mới", "report": "Báo cáo mới", "save": ""}
            )
            assert response["Location"] == nomination.get_absolute_url()
            assert set(messages_of(response)) == {refusal}
        nomination.refresh_from_db()
        assert nomination.summary != "Tóm tắt mới"
        page = officer.get(nomination.get_absolute_url())
        assert edit_url(nomination) not in page.content.decode()
        officer.post(reverse("awards:nomination_withdraw", args=[nomination.pk]))
        page = officer.get(edit_url(nomination)).content.decode()
        assert 'name="person"' not in page  # the nominee never changes
        response = officer.post(
            edit_url(nomination),
            {
                "summary": "Tóm tắt mới",
                "report": "Báo cáo mới",
                "person": world["cang_long_person"].pk,
                "save": "",
            },
        )
        assert response["Location"] == nomination.get_absolute_url()
        nomination.refresh_from_db()
        assert (nomination.summary, nomination.report, nomination.status) == (
            "Tóm tắt mới",
            "Báo cáo mới",
            Nomination.Status.DRAFT,
        )
        assert nomination.person == world["tieu_can_person"]

    def test_a_report_saved_unchanged_is_not_a_change(self, officer, world, hieu_tu):
        """Browsers post a text area's line breaks as CRLF; the stored report has LF. Saved unchanged, it
        stays as it was: no history entry changes it, and another tab's save of the summary alone lists
        only the summary as changed (no false conflict on the report)."""
        nomination = nominate(officer, world, secretary(hieu_tu, full_name="Cao Thị Như"))
        assert nomination.report == REPORT  # stored with LF, as the seeded and imported texts are
        loaded = nomination.version
        posted = REPORT.replace("\n", "\r\n")
        data = {"report": posted, "loaded_version": loaded, "save": ""}
        response = officer.post(edit_url(nomination), {**data, "summary": "Tab một"})
        assert response.status_code == 302
        nomination.refresh_from_db()
        assert nomination.report == REPORT
        newest, before = nomination.history.order_by("-history_date", "-history_id")[:2]
        assert [c.field for c in newest.diff_against(before).changes] == ["summary"]
        # The second tab, loaded from the same version, saves its own summary.
        response = officer.post(edit_url(nomination), {**data, "summary": "Tab hai"})
        assert response.status_code == 200
        conflict = " ".join(form_errors(response))
        assert "Tab một" in conflict, conflict
        assert "Báo cáo thành tích" not in conflict and "Sơ lược" not in conflict

    def test_edit_and_submit_a_draft(self, officer, world, hieu_tu):
        nomination = nominate(officer, world, secretary(hieu_tu))
        response = officer.post(edit_url(nomination), {"summary": "Sửa", "report": "Sửa", "submit": ""})
        assert response["Location"] == nomination.get_absolute_url()
        nomination.refresh_from_db()
        assert (nomination.summary, nomination.status) == ("Sửa", Nomination.Status.SUBMITTED)

    def test_a_refused_submission_on_the_edit_page_keeps_the_changes(self, officer, world, hieu_tu):
        nominate(officer, world, secretary(hieu_tu), submit=True)  # 2 of 2
        nomination = nominate(officer, world, secretary(hieu_tu))
        response = officer.post(edit_url(nomination), {"summary": "Đã sửa", "report": "Đã sửa", "submit": ""})
        assert response.status_code == 200
        errors = form_errors(response)
        assert errors[0] == "The changes were saved, but the nomination could not be submitted:"
        assert "this one would go over the quota" in errors[1]
        nomination.refresh_from_db()
        assert (nomination.summary, nomination.status) == ("Đã sửa", Nomination.Status.DRAFT)

    def test_blank_fields_come_back_with_errors(self, officer, world, hieu_tu):
        nomination = draft_of(officer, world, hieu_tu)
        response = officer.post(edit_url(nomination), {"summary": "", "report": "Giữ lại", "save": ""})
        assert response.status_code == 200 and "summary" in response.context["form"].errors
        assert "Giữ lại" in response.content.decode()

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_no_edit_after_review(self, officer, world, tra_vinh_staff, method):
        nomination = services.nomination_approve(
            nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff
        )
        response = getattr(officer, method)(edit_url(nomination), {"summary": "x", "report": "y", "save": ""})
        assert response["Location"] == nomination.get_absolute_url()
        assert messages_of(response) == ["A reviewed nomination cannot be changed."]
        nomination.refresh_from_db()
        assert nomination.summary != "x"

    def test_no_edit_of_a_submitted_nomination_once_closed(self, officer, world, tra_vinh_staff):
        services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        response = officer.get(edit_url(world["tieu_can_nomination"]))
        assert response.status_code == 302
        assert messages_of(response) == [
            "Nominations are closed: a submitted nomination can no longer be changed."
        ]

    def test_no_edit_after_publication(self, officer, world):
        old = world["tieu_can_commendation"].nomination
        response = officer.post(edit_url(old), {"summary": "x", "report": "y", "save": ""})
        assert messages_of(response) == ["The decision is published: the campaign is locked."]

    def test_staff_cannot_edit(self, staff, world):
        assert staff.get(edit_url(world["tieu_can_nomination"])).status_code == 403


# The nomination's page and its actions ----------------------------------------------------------------------


def action_url(name, nomination) -> str:
    return reverse(f"awards:nomination_{name}", args=[nomination.pk])


def actions(response) -> dict:
    return {k for k, v in response.context["actions"].items() if v}


def draft_of(client, world, commune, **fields) -> Nomination:
    return nominate(client, world, secretary(commune, **fields))


class TestDetail:
    def test_the_page_says_everything(self, officer, world, tra_vinh_staff):
        nomination = world["tieu_can_nomination"]
        assessment_submit(assessment=world["tieu_can_assessment"])
        the_campaign(world)
        response = officer.get(nomination.get_absolute_url())
        html = response.content.decode()
        for text in (
            "Nguyễn Văn Tèo",
            nomination.person.get_absolute_url(),
            "Ấp Cây Gòn",
            "Xã Hiếu Tử",
            "Huyện Tiểu Cần",
            world["campaign"].title,
            "Nguyễn Văn Tèo: tổ chức tốt các phong trào của chi đoàn.",
            "Báo cáo thành tích đầy đủ.",
            today().strftime("%d/%m/%Y"),  # submitted on
            "4.00",  # the year's assessment score
            "Well fulfilled duties",
            "Change history",
        ):
            assert text in html, text
        assert actions(response) == {"withdraw"}  # sent: read-only until withdrawn to draft

    def test_actions_of_a_draft(self, officer, world, hieu_tu):
        nomination = draft_of(officer, world, hieu_tu)
        response = officer.get(nomination.get_absolute_url())
        assert actions(response) == {"edit", "submit", "delete", "documents"}

    def test_staff_review_actions(self, staff, world):
        response = staff.get(world["tieu_can_nomination"].get_absolute_url())
        assert actions(response) == {"approve", "reject"}
        assert action_url("approve", world["tieu_can_nomination"]) in response.content.decode()

    def test_rejected_shows_the_reason_and_reviewer(self, staff, world, tra_vinh_staff):
        services.nomination_reject(
            nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff, reason="Thành tích chưa nổi bật"
        )
        response = staff.get(world["tieu_can_nomination"].get_absolute_url())
        html = response.content.decode()
        assert "Thành tích chưa nổi bật" in html and tra_vinh_staff.get_full_name() in html
        # May still be approved until the decision, on a page of its own with a reason.
        assert actions(response) == {"change_decision"}

    def test_decided_links_to_the_commendation_and_offers_nothing(self, staff, world):
        commendation = world["tieu_can_commendation"]
        response = staff.get(commendation.nomination.get_absolute_url())
        assert actions(response) == set()
        assert reverse("awards:commendation_detail", args=[commendation.pk]) in response.content.decode()
        assert "125/QĐ-TĐTN" in response.content.decode()


class TestDistrictActions:
    def test_submit_a_draft(self, officer, world, hieu_tu):
        nomination = draft_of(officer, world, hieu_tu, full_name="Lê Thị Mai")
        response = officer.post(action_url("submit", nomination))
        assert response["Location"] == nomination.get_absolute_url()
        assert messages_of(response) == ["The nomination of Lê Thị Mai was submitted."]
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.SUBMITTED

    def test_submit_refused_over_quota(self, officer, world, hieu_tu):
        nominate(officer, world, secretary(hieu_tu), submit=True)
        nomination = draft_of(officer, world, hieu_tu)
        response = officer.post(action_url("submit", nomination))
        assert any("would go over the quota" in m for m in messages_of(response))
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.DRAFT

    def test_withdraw_to_draft_frees_the_place(self, officer, world):
        nomination = world["tieu_can_nomination"]
        response = officer.post(action_url("withdraw", nomination))
        assert messages_of(response) == ["The nomination of Nguyễn Văn Tèo was withdrawn to draft."]
        nomination.refresh_from_db()
        assert (nomination.status, nomination.submitted_at) == (Nomination.Status.DRAFT, None)
        assert "used 0 of 2, 2 left" in officer.get(create_url(world)).content.decode()

    def test_withdraw_refused_once_closed(self, officer, world, tra_vinh_staff):
        services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        response = officer.post(action_url("withdraw", world["tieu_can_nomination"]))
        assert messages_of(response) == ["The campaign is “Under review”: it cannot be changed now."]
        world["tieu_can_nomination"].refresh_from_db()
        assert world["tieu_can_nomination"].status == Nomination.Status.SUBMITTED

    def test_delete_a_draft_after_confirming(self, officer, world, hieu_tu):
        nomination = draft_of(officer, world, hieu_tu, full_name="Lê Thị Mai")
        page = officer.get(action_url("delete", nomination))
        assert page.status_code == 200 and "Lê Thị Mai" in page.content.decode()
        assert Nomination.objects.filter(pk=nomination.pk).exists()  # GET only asks
        response = officer.post(action_url("delete", nomination))
        assert response["Location"] == create_url(world)
        assert messages_of(response) == ["The draft nomination of Lê Thị Mai was deleted."]
        assert not Nomination.objects.filter(pk=nomination.pk).exists()

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_submitted_nomination_is_not_deleted(self, officer, world, method):
        nomination = world["tieu_can_nomination"]
        response = getattr(officer, method)(action_url("delete", nomination))
        assert response["Location"] == nomination.get_absolute_url()
        assert messages_of(response) == ["Only a draft can be deleted."]
        assert Nomination.objects.filter(pk=nomination.pk).exists()

    def test_post_only(self, officer, world):
        for name in ("submit", "withdraw", "approve"):
            assert officer.get(action_url(name, world["tieu_can_nomination"])).status_code == 405


# Taken back after "not approved" --------------------------------------------------------------------------

MISSING_REPORT = "Báo cáo thành tích chưa đính kèm"
TAKEN_BACK = "Taken back to draft to correct it after it was not approved"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def rejected(world, tra_vinh_staff) -> Nomination:
    """The world's Tiểu Cần nomination, not approved by the province while nominations are open."""
    return services.nomination_reject(
        nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff, reason=MISSING_REPORT
    )


def revise(client, nomination, **data):
    return client.post(action_url("revise", nomination), {"loaded_version": nomination.version, **data})


class TestReviseAfterRejection:
    def test_the_unit_corrects_attaches_submits_and_the_province_approves(
        self, client, tieu_can_officer, tra_vinh_staff, world
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from awards.models import NominationDocument

        nomination = rejected(world, tra_vinh_staff)
        client.cookies["django_language"] = "en"
        client.force_login(tieu_can_officer)
        page = client.get(nomination.get_absolute_url())
        # Not approved: nothing to edit, attach or withdraw; it can only be taken back.
        assert actions(page) == {"revise"}
        assert action_url("revise", nomination) in page.content.decode()
        assert "Correct and send again" in page.content.decode()
        response = revise(client, nomination)
        assert response["Location"] == nomination.get_absolute_url()
        assert messages_of(response) == [
            "The nomination of Nguyễn Văn Tèo is a draft again: correct what the province asked, then "
            "submit it to the province."
        ]
        nomination.refresh_from_db()
        assert (nomination.status, nomination.rejection_reason, nomination.reviewed_at) == (
            Nomination.Status.DRAFT,
            "",
            None,
        )
        assert (nomination.reviewed_by, nomination.submitted_at) == (None, None)
        # The draft takes no place of the quota, as any draft.
        assert "used 0 of 2, 2 left" in client.get(create_url(world)).content.decode()
        page = client.get(nomination.get_absolute_url())
        assert actions(page) == {"edit", "submit", "delete", "documents"}
        html = page.content.decode()
        # What the province asked stays said, above the page and in the history.
        rejected_on = today().strftime("%d/%m/%Y")
        assert f"Previous review: the province did not approve it on {rejected_on}, for this reason:" in html
        assert html.count(MISSING_REPORT) >= 2
        # The edit page says it too, where the unit corrects.
        assert MISSING_REPORT in client.get(edit_url(nomination)).content.decode()
        response = client.post(
            reverse("awards:nomination_document_upload", args=[nomination.pk]),
            {
                "kind": NominationDocument.Kind.REPORT,
                "file": SimpleUploadedFile("Báo cáo thành tích.pdf", PDF),
            },
        )
        assert response.status_code == 302 and nomination.documents.count() == 1
        response = client.post(
            edit_url(nomination), {"summary": "Tóm tắt đã sửa", "report": "Báo cáo đã sửa", "submit": ""}
        )
        assert response["Location"] == nomination.get_absolute_url()
        nomination.refresh_from_db()
        assert (nomination.status, nomination.summary) == (Nomination.Status.SUBMITTED, "Tóm tắt đã sửa")
        assert "used 1 of 2, 1 left" in client.get(create_url(world)).content.decode()
        login_verified(client, tra_vinh_staff)
        page = client.get(nomination.get_absolute_url())
        assert actions(page) == {"approve", "reject"}
        assert MISSING_REPORT in page.content.decode()  # the reviewer sees what was asked
        # ... as the earlier round's, not as the decision on what was sent again.
        assert f"Previous review: the province did not approve it on {rejected_on}" in page.content.decode()
        client.post(action_url("approve", nomination))
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.APPROVED
        records = list(
            nomination.history.order_by("history_date", "history_id").values_list(
                "status", "rejection_reason"
            )
        )
        assert (Nomination.Status.REJECTED, MISSING_REPORT) in records
        assert records[-1] == (Nomination.Status.APPROVED, "")

    def test_the_rejection_stays_in_the_history(self, officer, world, tra_vinh_staff, tieu_can_officer):
        nomination = rejected(world, tra_vinh_staff)
        revise(officer, nomination)
        records = list(nomination.history.order_by("-history_date", "-history_id")[:2])
        assert [(r.status, r.rejection_reason, r.reviewed_by_id) for r in records] == [
            (Nomination.Status.DRAFT, "", None),
            (Nomination.Status.REJECTED, MISSING_REPORT, tra_vinh_staff.pk),
        ]
        assert records[0].history_user == tieu_can_officer
        assert records[0].history_change_reason == TAKEN_BACK
        history = officer.get(nomination.get_absolute_url()).context["history"]
        assert history[0].reason == TAKEN_BACK
        changes = {c.label: (c.old, c.new) for c in history[0].changes}
        assert changes["status"] == ("Not approved", "Draft")
        assert changes["reason for not approving"] == (MISSING_REPORT, "—")

    @pytest.mark.parametrize(
        ("close", "refusal"),
        [
            ("review", "The campaign is “Under review”: it cannot be changed now."),
            ("deadline", "Nominations closed on {date}, 1 day ago."),
        ],
    )
    def test_refused_once_nominations_are_closed(self, officer, world, tra_vinh_staff, close, refusal):
        nomination = rejected(world, tra_vinh_staff)
        if close == "review":
            services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        else:
            the_campaign(world, closes_on=today() - days(1))
        assert "revise" not in actions(officer.get(nomination.get_absolute_url()))
        response = revise(officer, nomination)
        assert response["Location"] == nomination.get_absolute_url()
        yesterday = (today() - days(1)).strftime("%d/%m/%Y")
        assert messages_of(response) == [refusal.format(date=yesterday)]
        nomination.refresh_from_db()
        assert (nomination.status, nomination.rejection_reason) == (
            Nomination.Status.REJECTED,
            MISSING_REPORT,
        )

    def test_refused_once_decided(self, officer, world):
        old = world["tieu_can_commendation"].nomination
        Nomination.objects.filter(pk=old.pk).update(status=Nomination.Status.REJECTED, rejection_reason="x")
        response = officer.post(action_url("revise", old))
        assert messages_of(response) == ["The campaign is “Decided”: it cannot be changed now."]
        assert Nomination.objects.get(pk=old.pk).status == Nomination.Status.REJECTED

    def test_only_a_rejected_nomination(self, officer, world):
        response = officer.post(action_url("revise", world["tieu_can_nomination"]))
        assert messages_of(response) == [
            "Only a nomination the province did not approve can be taken back to correct it; this one is "
            "“Submitted”."
        ]

    def test_a_stale_page_is_refused(self, officer, world, tra_vinh_staff):
        nomination = rejected(world, tra_vinh_staff)
        loaded = nomination.version
        services.nomination_decision_change(
            nomination=nomination, approve=True, reason="Đã bổ sung", reviewer=tra_vinh_staff
        )
        services.nomination_decision_change(
            nomination=nomination, approve=False, reason="Vẫn thiếu", reviewer=tra_vinh_staff
        )
        response = officer.post(action_url("revise", nomination), {"loaded_version": loaded})
        assert "was saved by" in messages_of(response)[0]
        assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.REJECTED

    @pytest.mark.parametrize(
        ("persona", "status"),
        [
            ("cang_long_officer", 404),
            ("vinh_long_staff", 404),
            ("tra_vinh_staff", 403),
            ("administrator", 403),
        ],
    )
    def test_no_one_else(self, client, world, tra_vinh_staff, request, persona, status):
        nomination = rejected(world, tra_vinh_staff)
        login_verified(client, request.getfixturevalue(persona))
        assert revise(client, nomination).status_code == status
        assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.REJECTED

    def test_the_service_refuses_another_unit_and_an_ended_one(
        self, world, tra_vinh_staff, cang_long_officer, tieu_can_officer
    ):
        from django.core.exceptions import ValidationError

        nomination = rejected(world, tra_vinh_staff)
        for user in (cang_long_officer, tra_vinh_staff):
            with pytest.raises(ValidationError) as refused:
                services.nomination_revise(nomination=nomination, user=user)
            assert refused.value.code == "outside_unit"
        district = tieu_can_officer.district
        district.ended_on = today() - days(1)
        district.save(update_fields=["ended_on"])
        tieu_can_officer.refresh_from_db()
        assert not services.may_revise(nomination, tieu_can_officer)
        with pytest.raises(ValidationError) as refused:
            services.nomination_revise(nomination=nomination, user=tieu_can_officer)
        assert refused.value.code == "unit_ended"

    def test_get_is_not_allowed(self, officer, world, tra_vinh_staff):
        assert officer.get(action_url("revise", rejected(world, tra_vinh_staff))).status_code == 405


class TestReview:
    def test_approve(self, staff, world, tra_vinh_staff):
        nomination = world["tieu_can_nomination"]
        response = staff.post(action_url("approve", nomination))
        assert response["Location"] == nomination.get_absolute_url()
        assert messages_of(response) == ["The nomination of Nguyễn Văn Tèo was approved."]
        nomination.refresh_from_db()
        assert (nomination.status, nomination.reviewed_by) == (Nomination.Status.APPROVED, tra_vinh_staff)
        assert nomination.reviewed_at is not None

    def test_approve_returns_to_a_safe_next_only(self, staff, world):
        review = reverse("awards:campaign_review", args=[world["campaign"].pk]) + "?district=1"
        response = staff.post(action_url("approve", world["tieu_can_nomination"]), {"next": review})
        assert response["Location"] == review
        response = staff.post(
            action_url("approve", world["cang_long_nomination"]), {"next": "https://evil.example/"}
        )
        assert response["Location"] == world["cang_long_nomination"].get_absolute_url()

    def test_the_administrator_reviews_too(self, client, administrator, world):
        login_verified(client, administrator)
        client.post(action_url("approve", world["tieu_can_nomination"]))
        world["tieu_can_nomination"].refresh_from_db()
        assert world["tieu_can_nomination"].status == Nomination.Status.APPROVED

    def test_a_draft_cannot_be_approved(self, staff, world, tieu_can_officer):
        nomination = services.nomination_withdraw(
            nomination=world["tieu_can_nomination"], user=tieu_can_officer
        )
        response = staff.post(action_url("approve", nomination))
        assert messages_of(response) == ["Huyện Tiểu Cần has not submitted this draft yet."]
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.DRAFT
        assert actions(staff.get(nomination.get_absolute_url())) == set()

    def test_officers_do_not_review(self, officer, world):
        assert officer.post(action_url("approve", world["tieu_can_nomination"])).status_code == 403
        assert (
            officer.post(action_url("reject", world["tieu_can_nomination"]), {"reason": "x"}).status_code
            == 403
        )
        world["tieu_can_nomination"].refresh_from_db()
        assert world["tieu_can_nomination"].status == Nomination.Status.SUBMITTED

    def test_reject_needs_a_reason(self, staff, world):
        nomination = world["tieu_can_nomination"]
        for reason in ("", "   "):
            response = staff.post(action_url("reject", nomination), {"reason": reason})
            assert response.status_code == 200
            assert "reason" in response.context["form"].errors
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.SUBMITTED

    def test_reject_with_a_reason_goes_back_to_next(self, staff, world):
        nomination = world["tieu_can_nomination"]
        review = reverse("awards:campaign_review", args=[world["campaign"].pk])
        form = staff.get(action_url("reject", nomination), {"next": review})
        assert f'value="{review}"' in form.content.decode()  # carried through the form
        response = staff.post(
            action_url("reject", nomination), {"reason": "Chưa đủ tiêu chuẩn", "next": review}
        )
        assert response["Location"] == review
        assert messages_of(response) == ["The nomination of Nguyễn Văn Tèo was not approved."]
        nomination.refresh_from_db()
        assert (nomination.status, nomination.rejection_reason) == (
            Nomination.Status.REJECTED,
            "Chưa đủ tiêu chuẩn",
        )

    def test_reject_then_approve_only_by_changing_the_decision(self, staff, world):
        nomination = world["tieu_can_nomination"]
        staff.post(action_url("reject", nomination), {"reason": "Chưa đủ tiêu chuẩn"})
        # The one-click approve leaves a decided nomination as it is, reason and all.
        response = staff.post(action_url("approve", nomination))
        assert "change the decision with a reason" in messages_of(response)[-1]
        nomination.refresh_from_db()
        assert (nomination.status, nomination.rejection_reason) == (
            Nomination.Status.REJECTED,
            "Chưa đủ tiêu chuẩn",
        )
        change = reverse("awards:nomination_decision_change", args=[nomination.pk])
        page = staff.get(change)
        assert page.status_code == 200 and "Chưa đủ tiêu chuẩn" in page.content.decode()
        # Without its reason and its tick, nothing changes.
        response = staff.post(change, {})
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"reason", "confirm"}
        response = staff.post(change, {"reason": "Đã bổ sung minh chứng", "confirm": "on"})
        assert response.status_code == 302
        nomination.refresh_from_db()
        assert (nomination.status, nomination.rejection_reason) == (Nomination.Status.APPROVED, "")
        assert nomination.history.first().history_change_reason == "Đã bổ sung minh chứng"
        # And back again, the unit's reason asked apart.
        staff.post(
            change,
            {"reason": "Phát hiện sai sót", "rejection_reason": "Thành tích chưa xác minh", "confirm": "on"},
        )
        nomination.refresh_from_db()
        assert (nomination.status, nomination.rejection_reason) == (
            Nomination.Status.REJECTED,
            "Thành tích chưa xác minh",
        )

    def test_approving_again_over_the_quota_is_said_in_the_form(self, staff, world):
        """Tiểu Cần's place taken again since its nomination was not approved: approving it back is refused
        in the form, the reason typed kept, and nothing changes."""
        nomination = world["tieu_can_nomination"]
        staff.post(action_url("reject", nomination), {"reason": "Chưa đủ tiêu chuẩn"})
        Quota.objects.create(campaign=nomination.campaign, district=nomination.district, quota=1)
        branch = BranchFactory(commune=nomination.branch.commune)
        Nomination.objects.create(
            campaign=nomination.campaign,
            person=person_with_term(branch=branch),
            branch=branch,
            district=nomination.district,
            province=nomination.province,
            summary="Tóm tắt",
            report="Báo cáo",
            status=Nomination.Status.SUBMITTED,
        )
        change = reverse("awards:nomination_decision_change", args=[nomination.pk])
        response = staff.post(change, {"reason": "Đã bổ sung minh chứng", "confirm": "on"})
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert errors[0].startswith(
            "Huyện Tiểu Cần's quota is 1 and 1 of its nominations are submitted or approved"
        )
        assert "Đã bổ sung minh chứng" in response.content.decode()
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.REJECTED


class TestAfterPublication:
    """Publishing locks the campaign: every action on its nominations is refused and nothing changes."""

    @pytest.fixture
    def old(self, world):
        return world["tieu_can_commendation"].nomination

    def test_review_refused(self, staff, old):
        response = staff.post(action_url("approve", old))
        assert messages_of(response) == ["The campaign is “Decided”: it cannot be reviewed now."]
        response = staff.post(action_url("reject", old), {"reason": "Khai man thành tích"})
        assert response.status_code == 302
        assert messages_of(response)[-1] == "The campaign is “Decided”: it cannot be reviewed now."
        old.refresh_from_db()
        assert (old.status, old.rejection_reason) == (Nomination.Status.APPROVED, "")

    def test_district_actions_refused(self, officer, old):
        for name in ("submit", "withdraw", "delete"):
            response = officer.post(action_url(name, old))
            assert response["Location"] == old.get_absolute_url(), name
            assert messages_of(response), name
        old.refresh_from_db()
        assert old.status == Nomination.Status.APPROVED

    def test_a_leftover_draft_stays(self, client, world, cang_long_officer, tra_vinh_staff):
        """A draft never submitted before the decision is kept as it was: not deleted, not submitted."""
        draft = services.nomination_withdraw(nomination=world["cang_long_nomination"], user=cang_long_officer)
        campaign = services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        services.nomination_approve(nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff)
        services.campaign_publish(
            campaign=campaign, decision_number="9/QĐ-TĐTN", decision_date=today(), user=tra_vinh_staff
        )
        client.cookies["django_language"] = "en"  # the switch, as a person would
        client.force_login(cang_long_officer)
        locked = "The decision is published: the campaign is locked."
        for method, name, refusal in (
            ("get", "delete", locked),
            ("post", "delete", locked),
            ("post", "submit", "The campaign is “Decided”: it cannot be nominated in now."),
        ):
            response = getattr(client, method)(action_url(name, draft))
            assert response["Location"] == draft.get_absolute_url(), name
            assert messages_of(response)[-1] == refusal, name
        assert Nomination.objects.get(pk=draft.pk).status == Nomination.Status.DRAFT
        assert actions(client.get(draft.get_absolute_url())) == set()
        assert client.get(edit_url(draft)).status_code == 302


# Query counts ----------------------------------------------------------------------------------------------


def _grow(world, n: int) -> None:
    """n more secretaries in Tiểu Cần (assessed, some nominated) and n more in Càng Long."""
    commune = world["tieu_can"].commune
    officer = UserFactory(role="district_officer", district=commune.district)
    for i in range(n):
        person = secretary(commune)
        assessed(person, 3 + i % 3)
        if i % 2:
            services.nomination_save(
                nomination=Nomination(campaign=world["campaign"], person=person, summary="s", report="r"),
                user=officer,
            )
        secretary(world["cang_long"].commune)


@pytest.mark.parametrize("page", ["create", "detail"])
def test_query_count_does_not_grow(page, client, world, tieu_can_officer, count_queries):
    the_campaign(world)
    client.force_login(tieu_can_officer)
    url = create_url(world) if page == "create" else world["tieu_can_nomination"].get_absolute_url()
    _grow(world, 1)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(world, 6)
    with count_queries() as large:
        response = client.get(url)
        assert response.status_code == 200
    if page == "create":
        assert len(response.context["candidates"]) == 8
    assert len(large) == len(small), f"{page}: {len(small)} → {len(large)} queries"


def test_detail_query_count_is_the_same_for_staff(client, world, tra_vinh_staff, count_queries):
    login_verified(client, tra_vinh_staff)
    url = world["tieu_can_nomination"].get_absolute_url()
    with count_queries() as small:
        client.get(url)
    _grow(world, 4)
    with count_queries() as large:
        client.get(url)
    assert len(large) == len(small)
