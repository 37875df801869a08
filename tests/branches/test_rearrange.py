"""Hamlets re-arranged (from 2026): branches of a commune merged into one, or one split into several, on a
date; the branches that end keep their history, their terms end (or the chosen secretary continues), and
their pages say what became of them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from branches import services as branch_services
from branches.models import Branch, BranchSuccession
from secretaries import selectors as secretary_selectors
from secretaries import services
from secretaries.models import Term
from tests.branches import reform_world
from tests.factories import BranchFactory, person_with_term

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 1)
LAST = datetime.date(2026, 2, 28)
#: Ấp Tân Lập split in two on 01/03/2026, as the split form posts it
SPLIT = {
    "on": "01/03/2026",
    "name_1": "Ấp Tân Lập Trong",
    "kind_1": "ap",
    "member_count_1": "20",
    "name_2": "Ấp Tân Lập Ngoài",
    "kind_2": "ap",
    "member_count_2": "10",
    "kind_3": "ap",
    "kind_4": "ap",
}


@pytest.fixture
def w():
    world = reform_world.build()
    commune = world["one"]
    world["x"] = BranchFactory(
        commune=commune, name="Ấp Tân Lập", member_count=30, founded_on=datetime.date(2025, 7, 1)
    )
    world["y"] = BranchFactory(commune=commune, name="Ấp Tân Hòa", member_count=20)
    world["z"] = BranchFactory(commune=commune, name="Ấp Tân Phú", member_count=12)
    world["teo"] = person_with_term(
        branch=world["x"], full_name="Nguyễn Văn Tèo", started_on=datetime.date(2025, 9, 1)
    )
    world["lan"] = person_with_term(
        branch=world["y"], full_name="Trần Thị Lan", started_on=datetime.date(2025, 9, 1)
    )
    return world


def _branch(b):
    return Branch.objects.get(pk=b.pk)


def test_merge_with_a_survivor_and_the_other_secretary_continuing(w):
    result = services.branches_merge_with_terms(
        branches=[w["x"], w["y"]], on=ON, user=w["commune_officer"], survivor=w["x"], secretary_from=w["y"]
    )
    x, y = _branch(w["x"]), _branch(w["y"])
    assert result.merged == x and result.ended == [y]
    assert (x.member_count, x.ended_on, x.is_active) == (50, None, True)
    assert (y.ended_on, y.is_active) == (LAST, False)
    assert y.history.first().history_change_reason == "hợp nhất ngày 01/03/2026"  # in Vietnamese
    row = BranchSuccession.objects.get()
    assert (row.predecessor, row.successor, row.on, row.kind) == (y, x, ON, "hop_nhat")
    # Lan leads the merged branch from the day; Tèo's and Lan's old terms end the day before.
    lead = services.current_secretary_term(x)
    assert (lead.person, lead.started_on) == (w["lan"], ON)
    assert set(Term.objects.filter(ended_on=LAST).values_list("person__full_name", flat=True)) == {
        "Nguyễn Văn Tèo",
        "Trần Thị Lan",
    }
    # The ended branch counts nowhere: not a vacancy, no new term.
    assert y not in secretary_selectors.vacant_branches(user=w["staff"])
    with pytest.raises(ValidationError):
        services.term_appoint(person=w["teo"], branch=y, role=Term.Role.SECRETARY, started_on=ON)
    with pytest.raises(ValidationError):
        branch_services.branch_reactivate(branch=y)


def test_merge_into_a_new_branch_ends_every_term_when_nobody_continues(w):
    result = services.branches_merge_with_terms(
        branches=[w["x"], w["y"], w["z"]], on=ON, user=w["staff"], new_name="Ấp  Tân  Hiệp"
    )
    merged = result.merged
    assert (merged.name, merged.member_count, merged.founded_on) == ("Ấp Tân Hiệp", 62, ON)
    assert {b.pk for b in result.ended} == {w["x"].pk, w["y"].pk, w["z"].pk}
    assert BranchSuccession.objects.filter(successor=merged).count() == 3
    assert (
        not Term.objects.filter(ended_on__isnull=True)
        .exclude(branch__commune__ended_on__isnull=False)
        .exists()
    )


def test_merge_refusals_change_nothing(w):
    other = BranchFactory(commune=w["two"], name="Ấp Khác Xã")
    cases = [
        ({"branches": [w["x"], other]}, "communes_differ"),
        ({"branches": [w["x"]]}, "too_few"),
        ({"branches": [w["x"], w["y"]], "on": datetime.date(2025, 7, 1)}, "before_founded"),
        ({"branches": [w["x"], w["y"]], "survivor": w["z"]}, "survivor_outside"),
        ({"branches": [w["x"], w["y"]], "new_name": "Ấp Tân Phú"}, "name_taken"),
        ({"branches": [w["x"], w["y"]], "secretary_from": w["z"]}, "secretary_outside"),
    ]
    for kwargs, code in cases:
        kwargs = {"on": ON, "user": w["staff"], "survivor": None, **kwargs}
        if "new_name" not in kwargs and kwargs["survivor"] is None and code != "survivor_outside":
            kwargs["survivor"] = kwargs["branches"][0]
        with pytest.raises(ValidationError) as refused:
            services.branches_merge_with_terms(**kwargs)
        assert code in {e.code for e in refused.value.error_list}, code
    assert not BranchSuccession.objects.exists()
    assert not Branch.objects.filter(ended_on__isnull=False).exists()


def test_an_ended_units_user_cannot_merge_after_its_end(w):
    old = BranchFactory(commune=w["whole"], name="Ấp Cũ Một")
    old2 = BranchFactory(commune=w["whole"], name="Ấp Cũ Hai")
    with pytest.raises(ValidationError) as refused:
        branch_services.branches_merge(branches=[old, old2], on=ON, user=w["district_officer"], survivor=old)
    assert refused.value.error_list[0].code == "unit_ended"
    # Before the end, the merge of the old world was theirs to record.
    branch_services.branches_merge(
        branches=[old, old2], on=datetime.date(2024, 5, 1), user=w["district_officer"], survivor=old
    )
    assert _branch(old2).ended_on == datetime.date(2024, 4, 30)


def test_split_creates_the_new_branches_and_ends_the_old_and_its_terms(w):
    parts = [
        branch_services.SplitPart(name="Ấp Tân Lập A", kind="ap", member_count=18),
        branch_services.SplitPart(name="Ấp Tân Lập B", kind="ap", member_count=12),
    ]
    created = services.branch_split_with_terms(branch=w["x"], parts=parts, on=ON, user=w["commune_officer"])
    assert [(b.name, b.member_count, b.founded_on) for b in created] == [
        ("Ấp Tân Lập A", 18, ON),
        ("Ấp Tân Lập B", 12, ON),
    ]
    assert _branch(w["x"]).ended_on == LAST
    assert _branch(w["x"]).history.first().history_change_reason == "tách ngày 01/03/2026"
    assert Term.objects.get(person=w["teo"]).ended_on == LAST
    assert set(BranchSuccession.objects.values_list("kind", flat=True)) == {"tach"}


def test_split_refuses_counts_that_do_not_add_up(w):
    parts = [
        branch_services.SplitPart(name="Ấp A", kind="ap", member_count=10),
        branch_services.SplitPart(name="Ấp B", kind="ap", member_count=10),
    ]
    with pytest.raises(ValidationError) as refused:
        services.branch_split_with_terms(branch=w["x"], parts=parts, on=ON, user=w["staff"])
    assert refused.value.error_list[0].code == "members_differ"
    assert _branch(w["x"]).ended_on is None and Branch.objects.filter(name="Ấp A").count() == 0


def test_merge_through_the_form_confirms_first_then_shows_the_lineage(w, client):
    client.force_login(w["commune_officer"])
    url = reverse("secretaries:branch_merge", args=[w["x"].pk])
    assert client.get(url).status_code == 200
    data = {
        "others": [w["y"].pk],
        "on": "01/03/2026",
        "survivor": w["x"].pk,
        "new_kind": "ap",
        "secretary_from": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "data-merge-preview" in response.content.decode()
    assert "Xác nhận hợp nhất" in response.content.decode()
    assert _branch(w["y"]).ended_on is None
    response = client.post(url, {**data, "reviewed": _reviewed(response)})
    assert response.status_code == 302 and response.url == w["x"].get_absolute_url()
    assert _branch(w["y"]).ended_on == LAST
    survivor = client.get(response.url).content.decode()
    # It went on and took Tân Hòa in: not "formed from" it.
    assert "Tiếp nhận" in survivor and "Ấp Tân Hòa" in survivor and "Hình thành từ" not in survivor
    ended = client.get(w["y"].get_absolute_url()).content.decode()
    assert "Đã hợp nhất vào" in ended and w["x"].get_absolute_url() in ended
    # Lists mark it as ended, with the link to what it went into.
    listing = client.get(reverse("branches:branch_list"), {"q": "tan hoa"}).content.decode()
    assert "data-branch-ended" in listing and w["x"].get_absolute_url() in listing


def _reviewed(response) -> str:
    """The fingerprint the review page carries in its hidden field."""
    return response.context["form"].data["reviewed"]


def test_the_merge_confirmed_is_the_merge_reviewed(w, client):
    """A value changed on the review page, or a branch saved by someone else since the review, is not
    applied by "Xác nhận": a new review says what will happen now, with the date."""
    client.force_login(w["commune_officer"])
    url = reverse("secretaries:branch_merge", args=[w["x"].pk])
    data = {"others": [w["y"].pk], "on": "01/03/2026", "survivor": w["x"].pk, "new_kind": "ap"}
    review = client.post(url, data)
    page = review.content.decode()
    assert "Ngày hợp nhất: 01/03/2026." in page and "chấm dứt ngày 28/02/2026" in page
    assert "data-review-changed" not in page
    # The survivor changed into a new branch on the review page: reviewed again, nothing applied.
    changed = {**data, "survivor": "", "new_name": "Ấp Tân Mới", "reviewed": _reviewed(review)}
    again = client.post(url, changed)
    assert again.status_code == 200 and "data-review-changed" in again.content.decode()
    assert "Ấp Tân Mới" in again.content.decode()
    assert _branch(w["y"]).ended_on is None and not Branch.objects.filter(name="Ấp Tân Mới").exists()
    # A branch saved by someone else after the review: reviewed again too.
    fingerprint = _reviewed(again)
    Branch.objects.get(pk=w["y"].pk).save()
    assert "data-review-changed" in client.post(url, {**changed, "reviewed": fingerprint}).content.decode()
    assert _branch(w["y"]).ended_on is None
    # The last review confirmed as shown: applied.
    latest = client.post(url, changed)
    response = client.post(url, {**changed, "reviewed": _reviewed(latest)})
    assert response.status_code == 302
    assert _branch(w["y"]).ended_on == LAST and Branch.objects.filter(name="Ấp Tân Mới").exists()


def test_the_split_confirmed_is_the_split_reviewed(w, client):
    client.force_login(w["commune_officer"])
    url = reverse("secretaries:branch_split", args=[w["x"].pk])
    data = dict(SPLIT)
    review = client.post(url, data)
    assert "Tách ngày 01/03/2026: “Ấp Tân Lập” chấm dứt ngày 28/02/2026." in review.content.decode()
    changed = {**data, "name_2": "Ấp Tân Lập Giữa", "reviewed": _reviewed(review)}
    again = client.post(url, changed)
    assert again.status_code == 200 and "data-review-changed" in again.content.decode()
    assert _branch(w["x"]).ended_on is None and not Branch.objects.filter(name="Ấp Tân Lập Giữa").exists()
    assert client.post(url, {**changed, "reviewed": _reviewed(again)}).status_code == 302
    assert _branch(w["x"]).ended_on == LAST and Branch.objects.filter(name="Ấp Tân Lập Giữa").exists()


def test_merge_form_refuses_a_date_before_founding_next_to_the_field(w, client):
    client.force_login(w["commune_officer"])
    url = reverse("secretaries:branch_merge", args=[w["x"].pk])
    data = {
        "others": [w["y"].pk],
        "on": "01/05/2025",
        "survivor": w["x"].pk,
        "new_kind": "ap",
        "reviewed": "x",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert _branch(w["y"]).ended_on is None


def test_split_through_the_form(w, client):
    client.force_login(w["commune_officer"])
    url = reverse("secretaries:branch_split", args=[w["x"].pk])
    data = dict(SPLIT)
    review = client.post(url, data)
    assert "data-split-preview" in review.content.decode()
    assert _branch(w["x"]).ended_on is None
    response = client.post(url, {**data, "reviewed": _reviewed(review)})
    assert response.status_code == 302
    page = client.get(w["x"].get_absolute_url()).content.decode()
    assert "Tách thành" in page and "Ấp Tân Lập Trong" in page


def test_a_split_part_of_no_member_is_refused_beside_its_count(w, client):
    client.force_login(w["commune_officer"])
    url = reverse("secretaries:branch_split", args=[w["x"].pk])
    data = {**SPLIT, "member_count_1": "30", "member_count_2": "0"}
    response = client.post(url, data)
    assert response.context["form"].errors["member_count_2"] == [
        "Chi đoàn mới phải có ít nhất một đoàn viên."
    ]
    assert "data-split-preview" not in response.content.decode()


def test_another_communes_officer_cannot_reach_the_forms(w, client):
    from accounts.models import User
    from tests.factories import UserFactory

    neighbour = UserFactory(username="doanxa.moihai", role=User.Role.COMMUNE_OFFICER, commune=w["two"])
    client.force_login(neighbour)
    assert client.get(reverse("secretaries:branch_merge", args=[w["x"].pk])).status_code == 404
    assert client.post(reverse("secretaries:branch_split", args=[w["x"].pk]), {}).status_code == 404


def test_merge_form_offers_only_the_communes_own_branches(w, client):
    client.force_login(w["commune_officer"])
    other = BranchFactory(commune=w["two"], name="Ấp Khác Xã")
    url = reverse("secretaries:branch_merge", args=[w["x"].pk])
    data = {
        "others": [other.pk],
        "on": "01/03/2026",
        "survivor": w["x"].pk,
        "new_kind": "ap",
        "reviewed": "x",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["others"]


@pytest.mark.parametrize("url", [reverse("branches:branch_list"), reverse("branches:branch_list") + "?q=tan"])
def test_branch_list_costs_the_same_with_ended_branches(w, client, count_queries, url):
    client.force_login(w["commune_officer"])
    with count_queries() as before:
        assert client.get(url).status_code == 200
    services.branches_merge_with_terms(branches=[w["x"], w["y"]], on=ON, user=w["staff"], survivor=w["x"])
    services.branch_split_with_terms(
        branch=w["z"],
        parts=[
            branch_services.SplitPart(name="Ấp Tân Phú 1", kind="ap", member_count=6),
            branch_services.SplitPart(name="Ấp Tân Phú 2", kind="ap", member_count=6),
        ],
        on=ON,
        user=w["staff"],
    )
    with count_queries() as after:
        page = client.get(url)
    assert "data-branch-ended" in page.content.decode()
    assert len(after) == len(before)


def test_branch_page_shows_where_it_came_from_in_few_queries(w, client, count_queries):
    services.branches_merge_with_terms(
        branches=[w["x"], w["y"], w["z"]], on=ON, user=w["staff"], survivor=w["x"]
    )
    client.force_login(w["commune_officer"])
    with count_queries() as queries:
        page = client.get(w["x"].get_absolute_url()).content.decode()
    assert page.count('href="/branches/') >= 2 and "Ấp Tân Hòa" in page and "Ấp Tân Phú" in page
    assert len(queries) <= 30


def test_a_rearrangement_is_recorded_once_it_has_happened_and_in_the_order_of_the_lineage(w):
    """Not ahead of its day (the branches that end would be gone from today's lists at once), and never
    before a branch's last merge: a branch that took in another on 01/03/2026 cannot split on that day or
    before."""
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        branch_services.branches_merge(
            branches=[w["x"], w["y"]], on=today + datetime.timedelta(days=30), user=w["commune_officer"]
        )
    assert refused.value.code == "future"
    services.branches_merge_with_terms(
        branches=[w["x"], w["y"]], on=ON, user=w["commune_officer"], survivor=w["x"]
    )
    parts = [
        branch_services.SplitPart(name="Ấp Tân Lập A", kind="ap", member_count=25),
        branch_services.SplitPart(name="Ấp Tân Lập B", kind="ap", member_count=25),
    ]
    for day in (ON, ON - datetime.timedelta(days=10)):
        with pytest.raises(ValidationError) as refused:
            branch_services.branch_split(
                branch=_branch(w["x"]), parts=parts, on=day, user=w["commune_officer"]
            )
        assert refused.value.code == "before_lineage"
    assert _branch(w["x"]).ended_on is None


def test_the_merge_form_refuses_a_day_after_today_beside_the_field(w, client):
    client.force_login(w["commune_officer"])
    url = reverse("secretaries:branch_merge", args=[w["x"].pk])
    later = timezone.localdate() + datetime.timedelta(days=100)
    data = {"others": [w["y"].pk], "on": later.strftime("%d/%m/%Y"), "survivor": w["x"].pk, "new_kind": "ap"}
    response = client.post(url, {**data, "reviewed": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"] == ["Ngày này chưa đến: hãy kiểm tra lại."]
    assert _branch(w["y"]).ended_on is None


def test_the_branch_export_imports_back_with_its_ceased_and_inactive_branches_unchanged(w, client):
    """The list's export holds the branches a merge ended and those marked inactive: imported back as they
    were, they are unchanged rows, not errors; changed, a ceased one says it no longer changes."""
    import io

    from openpyxl import load_workbook

    from core.importing.models import ImportBatch
    from tests.importing import upload

    services.branches_merge_with_terms(
        branches=[w["x"], w["y"]], on=ON, user=w["commune_officer"], survivor=w["x"]
    )
    Branch.objects.filter(pk=w["z"].pk).update(is_active=False)
    client.force_login(w["commune_officer"])
    exported = b"".join(client.get(reverse("branches:branch_export")).streaming_content)

    def imported(content):
        response = client.post(reverse("imports:batch_upload", args=["branches"]), {"file": upload(content)})
        assert response.status_code == 302
        return ImportBatch.objects.latest("pk")

    batch = imported(exported)
    assert batch.error_count == 0 and batch.new_count == 0, batch.report["rows"]
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.active
    members = [cell.value for cell in sheet[4]].index("Số đoàn viên")
    row = next(r for r in sheet.iter_rows(min_row=5) if r[1].value == w["y"].name)
    row[members].value = 99
    changed_file = io.BytesIO()
    workbook.save(changed_file)
    changed = imported(changed_file.getvalue())
    assert changed.error_count == 1
    assert "đã chấm dứt ngày 28/02/2026" in changed.report["rows"][0]["errors"][0]["message"]


def test_a_branch_ended_by_a_merge_is_neither_edited_nor_deactivated(w, client):
    """Its members went to the branch it merged into: the edit and deactivate pages refuse it by URL with
    the import's reason (403 with the reason), and so do the services."""
    services.branches_merge_with_terms(
        branches=[w["x"], w["y"]], on=ON, user=w["commune_officer"], survivor=w["x"]
    )
    ended = _branch(w["y"])
    client.force_login(w["commune_officer"])
    for name in ("branches:branch_update", "branches:branch_deactivate"):
        url = reverse(name, args=[ended.pk])
        for response in (client.get(url), client.post(url, {"member_count": 99})):
            assert response.status_code == 403
            page = response.content.decode()
            assert "Ấp Tân Hòa đã chấm dứt ngày 28/02/2026 (hợp nhất hoặc tách)" in page
    assert _branch(w["y"]).member_count == ended.member_count
    with pytest.raises(ValidationError) as refused:
        branch_services.branch_update(branch=ended, member_count=99)
    assert refused.value.code == "branch_ended"
    with pytest.raises(ValidationError):
        branch_services.branch_deactivate(branch=ended)
    # The branch that goes on is still edited.
    assert client.get(reverse("branches:branch_update", args=[w["x"].pk])).status_code == 200


def test_the_branch_page_gives_each_succession_its_own_kind_and_date(w, client):
    """Split on 01/03, then the second part merged into the first, which goes on, on 15/03: the first part was
    formed from Tân Phú by split (01/03) and took in its sibling by merger (15/03), each on its own line."""
    one, two = services.branch_split_with_terms(
        branch=w["z"],
        parts=[
            branch_services.SplitPart(name="Ấp Tân Phú 1", kind="ap", member_count=6),
            branch_services.SplitPart(name="Ấp Tân Phú 2", kind="ap", member_count=6),
        ],
        on=ON,
        user=w["staff"],
    )
    later = ON + datetime.timedelta(days=14)
    services.branches_merge_with_terms(branches=[one, two], on=later, user=w["staff"], survivor=one)
    # A merger into a new branch forms it.
    merged = services.branches_merge_with_terms(
        branches=[w["x"], w["y"]], on=later, user=w["staff"], new_name="Ấp Tân Hợp", new_kind="ap"
    ).merged
    client.force_login(w["commune_officer"])
    page = client.get(one.get_absolute_url()).content.decode()
    formed = page[page.index('class="col-sm-8 col-lg-9 lineage-formed-from"') :]
    formed = formed[: formed.index("</dd>")]
    assert "Ấp Tân Phú<" in formed or "Ấp Tân Phú</a>" in formed
    assert "tách" in formed and "01/03/2026" in formed and "Tân Phú 2" not in formed
    took = page[page.index('class="col-sm-8 col-lg-9 lineage-took-in"') :]
    took = took[: took.index("</dd>")]
    assert "Ấp Tân Phú 2" in took and "hợp nhất" in took and "15/03/2026" in took and "01/03" not in took
    assert "Tiếp nhận" in page
    page = client.get(merged.get_absolute_url()).content.decode()
    assert "lineage-took-in" not in page and "Hình thành từ" in page
    formed = page[page.index('class="col-sm-8 col-lg-9 lineage-formed-from"') :]
    assert "Ấp Tân Hòa" in formed and "Ấp Tân Lập" in formed and "15/03/2026" in formed


def test_the_status_filter_says_ceased_and_inactive_apart(w, client):
    """One word per status: "Ngừng hoạt động" keeps the branches marked inactive, as their badge says;
    those ended by a merge or split are "Đã chấm dứt", a value of their own."""
    services.branches_merge_with_terms(
        branches=[w["x"], w["y"]], on=ON, user=w["commune_officer"], survivor=w["x"]
    )
    Branch.objects.filter(pk=w["z"].pk).update(is_active=False)
    client.force_login(w["commune_officer"])
    url = reverse("branches:branch_list")

    def names(status):
        return {b.name for b in client.get(url, {"is_active": status}).context["branches"]}

    assert names("0") == {"Ấp Tân Phú"}
    assert names("ceased") == {"Ấp Tân Hòa"}
    assert "Ấp Tân Lập" in names("1") and not names("1") & {"Ấp Tân Phú", "Ấp Tân Hòa"}
    assert '<option value="ceased">Đã chấm dứt</option>' in client.get(url).content.decode()


def test_the_reason_a_merge_ends_a_term_reads_in_the_readers_language(w, client):
    """Written in Vietnamese by the merge, read in English on the person's page and in the terms' history:
    stored as written, shown as core.history.reason_text reads it (rows stored before read so too)."""
    services.branches_merge_with_terms(
        branches=[w["x"], w["y"]], on=ON, user=w["commune_officer"], survivor=w["x"]
    )
    ended = Term.objects.get(person=w["lan"])
    assert ended.end_reason == "Chi đoàn hợp nhất ngày 01/03/2026"  # as written, in the writer's language
    client.force_login(w["commune_officer"])
    client.cookies["django_language"] = "en"
    response = client.get(w["lan"].get_absolute_url())
    page = response.content.decode()
    assert "(Branch merged on 01/03/2026)" in page and "hợp nhất ngày" not in page
    changes = {(c.label, c.new) for row in response.context["term_history"] for c in row.changes}
    assert ("reason for ending", "Branch merged on 01/03/2026") in changes
