"""No lost updates (core.versioning), form by form, through real pages.

Each case: A opens the edit page; B opens it too, changes something and saves; A then saves what A typed.
A's stale save is refused with the page re-rendered: the refusal names who saved and what they changed
(field: their value), A's typed values are still in the form, and B's data is unchanged in the database.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from awards.services import nomination_withdraw
from core.versioning import VERSION_FIELD, StaleEdit, lock_current
from tests.factories import UserFactory
from tests.login import login_verified

# The world and the personas are built once for the module; each case runs in a savepoint rolled back after
# it (tests/conftest.py). Two saves at once need transactions of their own: tests/test_versioning_locks.py.
pytestmark = pytest.mark.usefixtures("world_once")

# ---------------------------------------------------------------------------------------------------
# Reading a form from the page, as a browser would submit it


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if "disabled" in a:
                return
            self._form.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select, self._select_first, self._select_chosen = a["name"], None, False
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self._form.append((self._select, a.get("value", "")))
                self._select_chosen = True
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._form.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def open_form(client, url, marker=VERSION_FIELD) -> dict:
    """GET `url` and return the data of the form holding a `marker` field (a version field), as posted."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    reader = _FormReader()
    reader.feed(response.content.decode())
    for form in reader.forms:
        if any(name.endswith(marker) for name, _value in form):
            data: dict = {}
            for name, value in form:
                data.setdefault(name, []).append(value)
            return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
    raise AssertionError(f"no form with {marker} on {url}")


def refused_as_stale(response, *, who, their_value, typed):
    """The page is shown again (200) with the stale refusal naming who and their value, and what A typed."""
    assert response.status_code == 200, response.status_code
    form = response.context["adminform"].form if "adminform" in response.context else response.context["form"]
    codes = [e.code for e in form.errors.as_data().get("__all__", [])]
    assert "stale_edit" in codes, form.errors
    errors = " ".join(form.non_field_errors())
    assert str(who) in errors
    assert str(their_value) in errors
    html = response.content.decode()
    # The refusal is on the page, in Vietnamese, once: of someone else's save, or of one's own other tab.
    said = html.count("sau khi bạn mở trang này") + html.count("sau khi trang này được mở")
    assert said == 1, "the refusal is said once"
    assert str(typed) in html  # what A typed is still in the form


@pytest.fixture
def second(db):
    """A second browser (another officer, or another tab)."""
    return Client()


def login(client, user):
    login_verified(client, user)
    return client


# ---------------------------------------------------------------------------------------------------
# Branch, person, term


def test_branch_stale_save_is_refused_and_keeps_typed_values(
    client, second, tieu_can_officer, tra_vinh_staff, world
):
    branch = world["tieu_can"]
    url = reverse("branches:branch_update", args=[branch.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tra_vinh_staff), url)
    assert mine[VERSION_FIELD] == str(branch.version)

    assert second.post(url, {**theirs, "member_count": "55"}).status_code == 302
    response = client.post(url, {**mine, "member_count": "99", "name": "Ấp Cây Gòn Mới"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="55", typed="Ấp Cây Gòn Mới")
    branch.refresh_from_db()
    assert (branch.member_count, branch.name) == (55, "Ấp Cây Gòn")
    # Having seen their change, saving again replaces it deliberately: the form now carries the new version.
    again = open_form_from(response)
    assert again[VERSION_FIELD] == str(branch.version)
    assert client.post(url, again).status_code == 302
    branch.refresh_from_db()
    assert (branch.member_count, branch.name) == (99, "Ấp Cây Gòn Mới")


def test_a_stale_save_of_ones_own_other_tab_says_so(client, second, tieu_can_officer, world):
    """The same officer in two tabs: the refusal speaks of their other tab, not of someone else."""
    branch = world["tieu_can"]
    url = reverse("branches:branch_update", args=[branch.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    other_tab = open_form(login(second, tieu_can_officer), url)
    assert second.post(url, {**other_tab, "member_count": "55"}).status_code == 302

    response = client.post(url, {**mine, "member_count": "99"})
    html = response.content.decode()
    assert "đã được chính bạn lưu lúc" in html and "ở một thẻ hoặc cửa sổ khác" in html
    assert "của họ" not in html and "sau khi bạn mở trang này" not in html
    branch.refresh_from_db()
    assert branch.member_count == 55


def open_form_from(response, marker=VERSION_FIELD) -> dict:
    reader = _FormReader()
    reader.feed(response.content.decode())
    form = next(f for f in reader.forms if any(n.endswith(marker) for n, _v in f))
    data: dict = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def test_person_stale_save_is_refused(client, second, tieu_can_officer, tra_vinh_staff, world):
    person = world["tieu_can_person"]
    url = reverse("secretaries:person_update", args=[person.pk])
    # The factory's birth dates move on with every person made: keep this one of Union age.
    born = {"date_of_birth": "01/01/1995"}
    mine = {**open_form(login(client, tieu_can_officer), url), **born}
    theirs = {**open_form(login(second, tra_vinh_staff), url), **born}

    assert second.post(url, {**theirs, "occupation": "Giáo viên"}).status_code == 302
    response = client.post(url, {**mine, "occupation": "Nông dân", "phone": "0987 654 321"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="Giáo viên", typed="0987 654 321")
    person.refresh_from_db()
    assert (person.occupation, person.phone) == ("Giáo viên", "0912 345 678")


def test_end_term_ended_meanwhile_says_so_without_a_second_save(
    client, second, tieu_can_officer, tra_vinh_staff, world
):
    """Ended in the other tab: no stale-edit page promising to replace it by saving again (the end cannot
    be), but the person's page, which shows the end, saying when and who recorded it."""
    term = world["tieu_can_term"]
    url = reverse("secretaries:term_end", args=[term.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tra_vinh_staff), url)

    assert (
        second.post(url, {**theirs, "ended_on": "01/06/2025", "reason": "Chuyển công tác"}).status_code == 302
    )
    response = client.post(url, {**mine, "ended_on": "15/06/2025", "reason": "Quá tuổi đoàn"}, follow=True)

    assert response.redirect_chain == [(term.person.get_absolute_url(), 302)]
    [said] = [str(m) for m in response.context["messages"]]
    assert said.startswith(f"Nhiệm kỳ này đã kết thúc ngày 01/06/2025 (do {tra_vinh_staff} ghi lúc ")
    assert "lưu lại" not in said and "lưu lại" not in response.content.decode()
    term.refresh_from_db()
    assert (term.ended_on, term.end_reason) == (datetime.date(2025, 6, 1), "Chuyển công tác")


def test_term_extend_stale_save_is_refused(client, second, tieu_can_officer, tra_vinh_staff, world):
    term = world["tieu_can_term"]
    url = reverse("secretaries:term_extend", args=[term.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tra_vinh_staff), url)

    assert (
        second.post(url, {**theirs, "expected_end_on": "01/06/2027", "reason": "Tái cử"}).status_code == 302
    )
    response = client.post(url, {**mine, "expected_end_on": "15/09/2027", "reason": "Gia hạn"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="01/06/2027", typed="Gia hạn")
    term.refresh_from_db()
    assert term.expected_end_on == datetime.date(2027, 6, 1)


# ---------------------------------------------------------------------------------------------------
# Assessment and the commune grid


def test_assessment_stale_save_is_refused(client, second, tieu_can_officer, tra_vinh_staff, world):
    assessment = world["tieu_can_assessment"]
    url = reverse("assessments:assessment_update", args=[assessment.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tra_vinh_staff), url)

    assert second.post(url, {**theirs, "comment": "Tốt", "save": ""}).status_code == 302
    response = client.post(url, {**mine, "comment": "Cần cố gắng thêm", "save": ""})

    refused_as_stale(response, who=tra_vinh_staff, their_value="Tốt", typed="Cần cố gắng thêm")
    assessment.refresh_from_db()
    assert assessment.comment == "Tốt"


def test_assessment_confirmed_meanwhile_says_it_is_locked_not_save_again(
    client, tieu_can_officer, tra_vinh_staff, world
):
    """Saving again could only be refused: the refusal says it is confirmed and locked, and that reopening
    it is the province's."""
    from assessments.services import assessment_confirm, assessment_submit

    assessment = assessment_submit(assessment=world["tieu_can_assessment"])
    url = reverse("assessments:assessment_update", args=[assessment.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    assessment_confirm(assessment=assessment, user=tra_vinh_staff)

    response = client.post(url, {**mine, "comment": "Cần cố gắng thêm", "save": ""})

    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["__all__"]] == ["locked"]
    said = " ".join(form.non_field_errors())
    assert "xác nhận" in said and "khóa" in said and "Tỉnh đoàn mở lại" in said
    assert str(tra_vinh_staff) in said and "lưu lại" not in said
    assert "Cần cố gắng thêm" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.is_locked and assessment.comment == ""


def test_assessment_created_meanwhile_is_not_overwritten(
    client, second, tieu_can_officer, tra_vinh_staff, world
):
    """Both open the form of a secretary not yet assessed; the first creates it; the second is refused."""
    from assessments.models import Assessment

    world["tieu_can_assessment"].delete()
    person = world["tieu_can_person"]
    url = reverse("assessments:assessment_create") + f"?person={person.pk}"
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tra_vinh_staff), url)
    assert mine[VERSION_FIELD] == "0"

    assert second.post(url, {**theirs, "comment": "Đánh giá trước", "save": ""}).status_code == 302
    response = client.post(url, {**mine, "comment": "Đánh giá sau", "save": ""})

    refused_as_stale(response, who=tra_vinh_staff, their_value="", typed="Đánh giá sau")
    assert Assessment.objects.get(person=person).comment == "Đánh giá trước"


def _grid(commune):
    return reverse("assessments:commune_grid", args=[commune.code])


def test_grid_stale_row_is_refused_and_nothing_is_saved(
    client, second, tieu_can_officer, tra_vinh_staff, world
):
    assessment = world["tieu_can_assessment"]
    person = world["tieu_can_person"]
    url = _grid(world["tieu_can"].commune)
    mine = open_form(login(client, tieu_can_officer), url, marker=f"v-{person.pk}")
    assert mine[f"v-{person.pk}"] == str(assessment.version)
    # B changes the assessment on its own page meanwhile.
    edit = reverse("assessments:assessment_update", args=[assessment.pk])
    theirs = open_form(login(second, tra_vinh_staff), edit)
    assert second.post(edit, {**theirs, "comment": "Sửa ở trang riêng", "save": ""}).status_code == 302

    response = client.post(url, {**mine, f"c-{person.pk}": "Nhận xét trong bảng", "save": ""})

    refused_as_stale(
        response, who=tra_vinh_staff, their_value="Sửa ở trang riêng", typed="Nhận xét trong bảng"
    )
    assessment.refresh_from_db()
    assert assessment.comment == "Sửa ở trang riêng"


# ---------------------------------------------------------------------------------------------------
# Seminars, proposals, models/solutions


def test_seminar_stale_save_is_refused(client, second, tieu_can_officer, tra_vinh_staff, world):
    seminar = world["tieu_can_seminar"]
    url = reverse("seminars:seminar_update", args=[seminar.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tra_vinh_staff), url)

    assert second.post(url, {**theirs, "venue": "Nhà văn hóa ấp"}).status_code == 302
    response = client.post(url, {**mine, "venue": "Trường THCS", "themes-0-title": "Chủ đề tôi gõ"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="Nhà văn hóa ấp", typed="Chủ đề tôi gõ")
    seminar.refresh_from_db()
    assert seminar.venue == "Nhà văn hóa ấp"
    assert seminar.themes.get().title == "Vai trò của bí thư chi đoàn"


def test_seminar_proposal_changed_on_the_followup_page_is_not_overwritten(
    client, second, tieu_can_officer, tra_vinh_staff, world
):
    seminar = world["tieu_can_seminar"]
    proposal = seminar.proposals.get()
    url = reverse("seminars:seminar_update", args=[seminar.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    assert mine[f"proposals-0-{VERSION_FIELD}"] == str(proposal.version)
    followup = open_form(login(second, tra_vinh_staff), reverse("seminars:followup"))
    update = reverse("seminars:proposal_update", args=[proposal.pk])
    assert (
        second.post(update, {**followup, "status": "hoan_thanh", "result": "Đã tập huấn"}).status_code == 302
    )

    response = client.post(url, {**mine, "venue": "Trường THCS"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="Đã tập huấn", typed="Trường THCS")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.result) == ("hoan_thanh", "Đã tập huấn")
    assert response.context["proposals"].forms[0][VERSION_FIELD].value() == str(proposal.version)
    # QA: saving again, as the refusal invites, put back the status and result the page had loaded, which
    # the officer never touched. The row now shows the follow-up saved meanwhile, and keeps it.
    again = open_form_from(response)
    assert (again["proposals-0-status"], again["proposals-0-result"]) == ("hoan_thanh", "Đã tập huấn")
    assert again["venue"] == "Trường THCS"
    assert client.post(url, again).status_code == 302
    proposal.refresh_from_db()
    seminar.refresh_from_db()
    assert (proposal.status, proposal.result, seminar.venue) == ("hoan_thanh", "Đã tập huấn", "Trường THCS")


def test_a_field_typed_over_a_change_made_meanwhile_is_kept_the_others_refreshed(
    client, second, tieu_can_officer, tra_vinh_staff, world
):
    """core.versioning.VersionedForm.refreshed, on any edit form: what the officer changed stays as typed
    (and replaces the other's value on the next save); what they left as loaded shows the value saved
    since."""
    branch = world["tieu_can"]
    url = reverse("branches:branch_update", args=[branch.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tra_vinh_staff), url)
    assert second.post(url, {**theirs, "member_count": "55", "name": "Ấp Cây Gòn B"}).status_code == 302

    response = client.post(url, {**mine, "name": "Ấp Cây Gòn A"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="55", typed="Ấp Cây Gòn A")
    again = open_form_from(response)
    assert (again["name"], again["member_count"]) == ("Ấp Cây Gòn A", "55")
    assert client.post(url, again).status_code == 302
    branch.refresh_from_db()
    assert (branch.name, branch.member_count) == ("Ấp Cây Gòn A", 55)


def test_proposal_followup_stale_update_is_refused(client, second, tieu_can_officer, tra_vinh_staff, world):
    proposal = world["tieu_can_seminar"].proposals.get()
    update = reverse("seminars:proposal_update", args=[proposal.pk])
    mine = open_form(login(client, tieu_can_officer), reverse("seminars:followup"))
    theirs = open_form(login(second, tra_vinh_staff), reverse("seminars:followup"))

    assert (
        second.post(update, {**theirs, "status": "dang_thuc_hien", "result": "Đang làm"}).status_code == 302
    )
    response = client.post(update, {**mine, "status": "dung", "result": "Kết quả tôi gõ"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="Đang làm", typed="Kết quả tôi gõ")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.result) == ("dang_thuc_hien", "Đang làm")


def test_initiative_stale_save_is_refused(client, second, tieu_can_officer, tra_vinh_staff, world):
    initiative = world["tieu_can_initiative"]
    url = reverse("seminars:initiative_update", args=[initiative.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tra_vinh_staff), url)

    assert second.post(url, {**theirs, "results": "Nhân rộng 5 xã"}).status_code == 302
    response = client.post(url, {**mine, "results": "Kết quả tôi gõ"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="Nhân rộng 5 xã", typed="Kết quả tôi gõ")
    initiative.refresh_from_db()
    assert initiative.results == "Nhân rộng 5 xã"


# ---------------------------------------------------------------------------------------------------
# Campaign, nomination, revocation


def test_campaign_stale_save_is_refused(client, second, tra_vinh_staff, administrator, world):
    campaign = world["campaign"]
    url = reverse("awards:campaign_update", args=[campaign.pk])
    mine = open_form(login(client, tra_vinh_staff), url)
    theirs = open_form(login(second, administrator), url)

    assert second.post(url, {**theirs, "criteria": "Tiêu chí mới"}).status_code == 302
    response = client.post(url, {**mine, "criteria": "Tiêu chí tôi gõ"})

    refused_as_stale(response, who=administrator, their_value="Tiêu chí mới", typed="Tiêu chí tôi gõ")
    campaign.refresh_from_db()
    assert campaign.criteria == "Tiêu chí mới"


def test_nomination_stale_save_is_refused(client, second, tieu_can_officer, world):
    """Two tabs of the same officer, on a draft (a submitted nomination is withdrawn to change it)."""
    nomination = nomination_withdraw(nomination=world["tieu_can_nomination"], user=tieu_can_officer)
    url = reverse("awards:nomination_update", args=[nomination.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    theirs = open_form(login(second, tieu_can_officer), url)

    assert second.post(url, {**theirs, "summary": "Tóm tắt ở tab kia", "save": ""}).status_code == 302
    response = client.post(url, {**mine, "summary": "Tóm tắt tôi gõ", "save": ""})

    refused_as_stale(response, who=tieu_can_officer, their_value="Tóm tắt ở tab kia", typed="Tóm tắt tôi gõ")
    assert "đã được chính bạn lưu lúc" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.summary == "Tóm tắt ở tab kia"


def test_commendation_revocation_stale_is_refused(client, second, tra_vinh_staff, administrator, world):
    commendation = world["tieu_can_commendation"]
    url = reverse("awards:commendation_revoke", args=[commendation.pk])
    mine = open_form(login(client, tra_vinh_staff), url)
    theirs = open_form(login(second, administrator), url)

    assert second.post(url, {**theirs, "revoked_on": "01/03/2021", "reason": "Khai man"}).status_code == 302
    response = client.post(url, {**mine, "revoked_on": "02/03/2021", "reason": "Lý do tôi gõ"})

    refused_as_stale(response, who=administrator, their_value="Khai man", typed="Lý do tôi gõ")
    commendation.refresh_from_db()
    assert (commendation.revoked_on, commendation.revocation_reason, commendation.revoked_by) == (
        datetime.date(2021, 3, 1),
        "Khai man",
        administrator,
    )


# ---------------------------------------------------------------------------------------------------
# Django admin change forms


ADMIN_CASES = [
    ("branches", "branch", "tieu_can", "member_count", "55", "77"),
    ("secretaries", "person", "tieu_can_person", "occupation", "Giáo viên", "Nông dân"),
    ("secretaries", "term", "tieu_can_term", "end_reason", "Lý do của họ", "Lý do tôi gõ"),
    ("assessments", "assessment", "tieu_can_assessment", "comment", "Nhận xét của họ", "Nhận xét tôi gõ"),
    ("seminars", "seminar", "tieu_can_seminar", "venue", "Địa điểm của họ", "Địa điểm tôi gõ"),
    ("seminars", "initiative", "tieu_can_initiative", "results", "Kết quả của họ", "Kết quả tôi gõ"),
    ("awards", "campaign", "campaign", "criteria", "Tiêu chí của họ", "Tiêu chí tôi gõ"),
    ("awards", "nomination", "tieu_can_nomination", "summary", "Tóm tắt của họ", "Tóm tắt tôi gõ"),
]


@pytest.mark.parametrize(("app", "model", "key", "field", "their_value", "typed"), ADMIN_CASES)
def test_admin_change_form_stale_save_is_refused(
    client, second, administrator, world, app, model, key, field, their_value, typed
):
    other_admin = UserFactory(username="quantri2", role="administrator", is_staff=True, is_superuser=True)
    obj = world[key]
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    mine = open_form(login(client, administrator), url)
    theirs = open_form(login(second, other_admin), url)

    assert second.post(url, {**theirs, field: their_value}).status_code == 302
    response = client.post(url, {**mine, field: typed})

    refused_as_stale(response, who=other_admin, their_value=their_value, typed=typed)
    obj.refresh_from_db()
    assert str(getattr(obj, field)) == their_value


def test_proposal_admin_change_form_stale_save_is_refused(client, second, administrator, world):
    other_admin = UserFactory(username="quantri2", role="administrator", is_staff=True, is_superuser=True)
    proposal = world["tieu_can_seminar"].proposals.get()
    url = reverse("admin:seminars_proposal_change", args=[proposal.pk])
    mine = open_form(login(client, administrator), url)
    theirs = open_form(login(second, other_admin), url)
    assert second.post(url, {**theirs, "result": "Của họ"}).status_code == 302
    response = client.post(url, {**mine, "result": "Tôi gõ"})
    refused_as_stale(response, who=other_admin, their_value="Của họ", typed="Tôi gõ")


# ---------------------------------------------------------------------------------------------------
# The lock itself


def test_lock_current_locks_the_row_and_refuses_an_old_version(world):
    from django.test.utils import CaptureQueriesContext

    branch = world["tieu_can"]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert lock_current(type(branch), pk=branch.pk, version=branch.version) == branch
    if connection.features.has_select_for_update:
        assert any(re.search(r"FOR UPDATE", q["sql"]) for q in queries)
    with transaction.atomic(), pytest.raises(StaleEdit):
        lock_current(type(branch), pk=branch.pk, version=branch.version - 1 if branch.version > 1 else 0)


def test_every_save_raises_the_version(world):
    from branches.services import branch_deactivate, branch_update

    branch = world["tieu_can"]
    first = branch.version
    branch_update(branch=branch, member_count=40)
    branch_deactivate(branch=branch)  # a save with update_fields counts too
    branch.refresh_from_db()
    assert branch.version == first + 2
    assert branch.history.first().version == branch.version


def test_admin_inline_row_changed_on_the_portal_is_not_overwritten(
    client, second, administrator, tieu_can_officer, world
):
    """The seminar's admin page lists its proposals; one is followed up on the portal meanwhile."""
    seminar = world["tieu_can_seminar"]
    proposal = seminar.proposals.get()
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    mine = open_form(login(client, administrator), url)
    followup = open_form(login(second, tieu_can_officer), reverse("seminars:followup"))
    update = reverse("seminars:proposal_update", args=[proposal.pk])
    assert second.post(update, {**followup, "status": "hoan_thanh", "result": "Xong"}).status_code == 302

    response = client.post(url, {**mine, "proposals-0-result": "Tôi gõ"})

    assert response.status_code == 200
    inline_errors = [f.non_field_errors() for f in response.context["inline_admin_formsets"][1].formset.forms]
    assert any("Xong" in " ".join(errors) for errors in inline_errors), inline_errors
    proposal.refresh_from_db()
    assert (proposal.status, proposal.result) == ("hoan_thanh", "Xong")


def test_admin_reference_data_stale_save_is_refused(client, second, administrator, world, tieu_can):
    """Frameworks, programmes and administrative units carry their version too in admin.
    Units keep no history: the refusal then says only that someone else saved."""
    from assessments.models import Framework
    from seminars.models import Programme

    other_admin = UserFactory(username="quantri2", role="administrator", is_staff=True, is_superuser=True)
    programme = Programme.objects.create(province=tieu_can.province, name="Chương trình Thử", from_year=2020)
    cases = [
        (
            "assessments",
            "framework",
            Framework.objects.get(year=2026),
            "name",
            "Bộ của họ",
            "Bộ tôi gõ",
            True,
        ),
        ("seminars", "programme", programme, "name", "Chương trình của họ", "Chương trình tôi gõ", True),
        ("branches", "district", tieu_can, "name", "Huyện Của Họ", "Huyện Tôi Gõ", False),
    ]
    login(client, administrator)
    login(second, other_admin)
    for app, model, obj, field, their_value, typed, has_history in cases:
        url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
        mine, theirs = open_form(client, url), open_form(second, url)
        assert second.post(url, {**theirs, field: their_value}).status_code == 302
        response = client.post(url, {**mine, field: typed})
        if has_history:
            refused_as_stale(response, who=other_admin, their_value=their_value, typed=typed)
        else:
            assert response.status_code == 200
            errors = response.context["adminform"].form.errors.as_data()["__all__"]
            assert [e.code for e in errors] == ["stale_edit"]
            assert typed in response.content.decode()
        obj.refresh_from_db()
        assert getattr(obj, field) == their_value


def test_grid_conflict_has_its_own_heading_and_names_the_changed_criteria(
    client, second, tieu_can_officer, world
):
    """Two tabs of the grid: the second's save is refused under a heading of its own (no cell is red), and
    the criterion the first changed is named with both scores."""
    from assessments.services import framework_criteria

    assessment = world["tieu_can_assessment"]
    person = world["tieu_can_person"]
    first = framework_criteria(assessment.framework)[0]
    cell = f"s-{person.pk}-{first.pk}"
    url = _grid(world["tieu_can"].commune)
    mine = open_form(login(client, tieu_can_officer), url, marker=f"v-{person.pk}")
    theirs = open_form(login(second, tieu_can_officer), url, marker=f"v-{person.pk}")
    assert second.post(url, {**theirs, cell: "1", "save": ""}).status_code == 302

    response = client.post(url, {**mine, cell: "5", "save": ""})

    assert response.status_code == 200
    html = response.content.decode()
    alert = " ".join(html.split('id="grid-errors"')[1].split("</div>")[0].split())
    assert "Một số ô cần sửa" not in alert and "Chưa lưu gì" in alert
    conflicts = " ".join(html.split("data-grid-conflicts>")[1].split("</div>")[0].split())
    assert f"{person.full_name}, {first.group.order}.{first.order}: nay là 1, ô này nhập 5" in conflicts
    assert assessment.scores.get(criterion=first).value == 1


def test_grid_row_confirmed_meanwhile_is_reported_not_silently_dropped(
    client, tieu_can_officer, tra_vinh_staff, world
):
    from assessments.services import assessment_confirm, assessment_submit

    assessment = world["tieu_can_assessment"]
    person = world["tieu_can_person"]
    url = _grid(world["tieu_can"].commune)
    mine = open_form(login(client, tieu_can_officer), url, marker=f"v-{person.pk}")
    assessment_confirm(assessment=assessment_submit(assessment=assessment), user=tra_vinh_staff)

    response = client.post(url, {**mine, f"c-{person.pk}": "Nhận xét trong bảng", "save": ""})

    # Said as confirmed and locked, not as a change to save over (the row is read-only now).
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["__all__"]] == ["locked"]
    said = " ".join(form.non_field_errors())
    assert str(tra_vinh_staff) in said and "khóa" in said and "lưu lại" not in said
    assert "Nhận xét trong bảng" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.is_locked and assessment.comment == ""


def test_seminar_form_cannot_remove_a_proposal_followed_up_meanwhile(
    client, second, tieu_can_officer, tra_vinh_staff, world
):
    seminar = world["tieu_can_seminar"]
    proposal = seminar.proposals.get()
    url = reverse("seminars:seminar_update", args=[seminar.pk])
    mine = open_form(login(client, tieu_can_officer), url)
    followup = open_form(login(second, tra_vinh_staff), reverse("seminars:followup"))
    update = reverse("seminars:proposal_update", args=[proposal.pk])
    assert second.post(update, {**followup, "status": "hoan_thanh", "result": "Đã xong"}).status_code == 302

    response = client.post(url, {**mine, "proposals-0-DELETE": "on", "venue": "Trường THCS"})

    refused_as_stale(response, who=tra_vinh_staff, their_value="Đã xong", typed="Trường THCS")
    assert seminar.proposals.get().result == "Đã xong"


def test_a_history_tells_two_units_of_one_name_apart(world, tieu_can):
    """The reform's Xã Tập Ngãi took the name of the old one: the branch's move reads old → new, not
    "Xã Tập Ngãi → Xã Tập Ngãi"."""
    import datetime

    from core.history import history_rows
    from tests.factories import BranchFactory, CommuneFactory, ProvinceFactory

    old = CommuneFactory(
        code="29364", name="Xã Tập Ngãi", district=tieu_can, ended_on=datetime.date(2025, 6, 30)
    )
    new = CommuneFactory(code="29365", name="Xã Tập Ngãi", district=None, province=ProvinceFactory(code="86"))
    branch = BranchFactory(commune=old, name="Ấp Ngãi Hòa")
    branch.commune = new
    branch.save()
    [change] = [c for row in history_rows(branch.history) for c in row.changes if c.old != "—"]
    assert (change.old, change.new) == ("Xã Tập Ngãi (đến 30/06/2025)", "Xã Tập Ngãi")


def test_the_hidden_version_field_has_a_vietnamese_label():
    """Django admin writes a hidden field's label into the page: "Phiên bản lúc mở", not "Loaded version"."""
    from django import forms
    from django.utils import translation

    from core.versioning import VersionedForm

    class Form(VersionedForm, forms.Form):
        pass

    with translation.override("vi"):
        assert Form()[VERSION_FIELD].label == "Phiên bản lúc mở"
