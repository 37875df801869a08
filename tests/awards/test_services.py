"""The rules of a commendation campaign, service by service: the state machines, every refusal (window,
quota, eligibility, duplicates) with the figure it names, publication locking the campaign and revocation
keeping the record."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.services import assessment_save, assessment_submit, framework_criteria
from awards import services
from awards.models import Campaign, Commendation, Nomination
from tests.conftest import framework_2026
from tests.factories import BranchFactory, UserFactory, person_with_term
from tests.login import login_verified

pytestmark = pytest.mark.django_db

# Read when a test needs it, not once at import: a run that crosses Vietnam's midnight would compare
# yesterday's date with the portal's today.
today = timezone.localdate


def refusal(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return " ".join(caught.value.messages)


def refusal_code(call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    error = caught.value
    # A refusal that names its field (error_dict) or one about the whole step (error_list).
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.error_list[0].code


@pytest.fixture
def officer(tieu_can):
    return UserFactory(username="canbo.tieucan", role="district_officer", district=tieu_can)


@pytest.fixture
def staff(tra_vinh):
    return UserFactory(username="canbo.tinh", role="provincial_staff", province=tra_vinh)


@pytest.fixture
def campaign(tra_vinh, staff):
    return Campaign.objects.create(
        province=tra_vinh,
        year=today().year,
        title="Tuyên dương năm nay",
        opens_on=today() - datetime.timedelta(days=5),
        closes_on=today() + datetime.timedelta(days=5),
        default_quota=2,
        status=Campaign.Status.OPEN,
    )


def secretary(commune, **fields):
    return person_with_term(branch=BranchFactory(commune=commune), **fields)


def draft(campaign, person, user):
    return services.nomination_save(
        nomination=Nomination(campaign=campaign, person=person, summary="Tóm tắt", report="Báo cáo"),
        user=user,
    )


def submitted(campaign, person, user):
    return services.nomination_submit(nomination=draft(campaign, person, user), user=user)


# Nominations -----------------------------------------------------------------------------------------------


def test_nomination_records_the_branch_units_and_submits(campaign, hieu_tu, officer):
    person = secretary(hieu_tu)
    nomination = submitted(campaign, person, officer)
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.submitted_at is not None
    assert (nomination.district, nomination.province) == (hieu_tu.district, hieu_tu.province)
    assert nomination.branch == person.terms.get().branch


def test_window_not_open_yet_names_the_date_and_days(campaign, hieu_tu, officer):
    nomination = draft(campaign, secretary(hieu_tu), officer)
    early = campaign.opens_on - datetime.timedelta(days=3)
    message = refusal(services.nomination_submit, nomination=nomination, user=officer, today=early)
    assert campaign.opens_on.strftime("%d/%m/%Y") in message and "3" in message
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DRAFT


def test_window_closed_names_the_date_and_days(campaign, hieu_tu, officer):
    nomination = draft(campaign, secretary(hieu_tu), officer)
    late = campaign.closes_on + datetime.timedelta(days=4)
    code = refusal_code(services.nomination_submit, nomination=nomination, user=officer, today=late)
    assert code == "window_closed"
    message = refusal(services.nomination_submit, nomination=nomination, user=officer, today=late)
    assert campaign.closes_on.strftime("%d/%m/%Y") in message and "4" in message


def test_quota_refusal_names_the_quota_and_its_use(campaign, hieu_tu, officer):
    first, second, third = (secretary(hieu_tu) for _ in range(3))
    submitted(campaign, first, officer)
    submitted(campaign, second, officer)
    nomination = draft(campaign, third, officer)
    with pytest.raises(ValidationError) as caught:
        services.nomination_submit(nomination=nomination, user=officer)
    assert caught.value.error_list[0].code == "quota"
    message = caught.value.messages[0]
    assert message == (
        "Chỉ tiêu của Huyện Tiểu Cần là 2 và đã gửi 2 đề nghị: gửi thêm đề nghị này sẽ vượt chỉ tiêu."
    )


def test_drafts_and_rejected_nominations_do_not_use_the_quota(campaign, hieu_tu, officer, staff):
    people = [secretary(hieu_tu) for _ in range(4)]
    draft(campaign, people[0], officer)
    rejected = submitted(campaign, people[1], officer)
    services.nomination_reject(nomination=rejected, reviewer=staff, reason="Chưa đủ tiêu chuẩn")
    submitted(campaign, people[2], officer)
    assert submitted(campaign, people[3], officer).status == Nomination.Status.SUBMITTED


def test_a_district_override_replaces_the_default_quota(campaign, hieu_tu, tieu_can, officer, staff):
    services.campaign_save(campaign=campaign, quotas={tieu_can: 1}, user=staff)
    submitted(campaign, secretary(hieu_tu), officer)
    assert (
        refusal_code(
            services.nomination_submit, nomination=draft(campaign, secretary(hieu_tu), officer), user=officer
        )
        == "quota"
    )
    services.campaign_save(campaign=campaign, quotas={tieu_can: None}, user=staff)  # back to the default 2
    assert campaign.quotas.count() == 0
    assert submitted(campaign, secretary(hieu_tu), officer).status == Nomination.Status.SUBMITTED


def test_a_quota_is_not_lowered_below_the_places_taken(campaign, hieu_tu, tieu_can, officer, staff):
    """Two submitted in Tiểu Cần: its quota may not drop to 1, by its own override or by the default, and
    nothing of the refused save is written."""
    submitted(campaign, secretary(hieu_tu), officer)
    submitted(campaign, secretary(hieu_tu), officer)
    with pytest.raises(ValidationError) as caught:
        services.campaign_save(campaign=campaign, quotas={tieu_can: 1}, user=staff)
    error = caught.value.error_dict[services.quota_field(tieu_can)][0]
    assert error.code == "quota_below_used"
    assert "Huyện Tiểu Cần đã có 2 đề nghị đã gửi hoặc đã duyệt" in error.message
    assert campaign.quotas.count() == 0
    campaign.default_quota = 1
    with pytest.raises(ValidationError) as caught:
        services.campaign_save(campaign=campaign, quotas={}, user=staff)
    assert list(caught.value.error_dict) == ["default_quota"]
    campaign.refresh_from_db()
    assert campaign.default_quota == 2
    # Up to what is taken, it is saved.
    services.campaign_save(campaign=campaign, quotas={tieu_can: 2}, user=staff)


def test_a_decision_changed_back_to_approved_keeps_to_the_quota(campaign, hieu_tu, officer, staff):
    """Tiểu Cần (quota 2) has one nomination not approved, then sends another to fill its places: approving
    the first again is refused, and nothing changes."""
    first = submitted(campaign, secretary(hieu_tu), officer)
    second = submitted(campaign, secretary(hieu_tu), officer)
    services.nomination_reject(nomination=first, reviewer=staff, reason="Chưa đủ tiêu chuẩn")
    submitted(campaign, secretary(hieu_tu), officer)
    services.nomination_approve(nomination=second, reviewer=staff)
    with pytest.raises(ValidationError) as caught:
        services.nomination_decision_change(
            nomination=first, approve=True, reason="Đã bổ sung hồ sơ", reviewer=staff
        )
    assert caught.value.error_list[0].code == "quota"
    assert caught.value.messages[0].startswith(
        "Chỉ tiêu của Huyện Tiểu Cần là 2 và đã có 2 đề nghị đã gửi hoặc đã duyệt"
    )
    first.refresh_from_db()
    assert first.status == Nomination.Status.REJECTED
    # A place freed, it is approved again.
    services.nomination_decision_change(nomination=second, approve=False, reason="Sai sót", reviewer=staff)
    first = services.nomination_decision_change(
        nomination=first, approve=True, reason="Đã bổ sung", reviewer=staff
    )
    assert first.status == Nomination.Status.APPROVED


def test_a_unit_over_its_quota_blocks_only_the_saves_of_its_own_quota_and_publishing(
    campaign, hieu_tu, tieu_can, cang_long, officer, staff
):
    """Over its quota (a decision changed in Django admin): saving the campaign or another unit's quota is
    not refused for it; lowering the default below its count, or publishing, is."""
    for _ in range(2):
        services.nomination_approve(
            nomination=submitted(campaign, secretary(hieu_tu), officer), reviewer=staff
        )
    Nomination.objects.filter(pk=draft(campaign, secretary(hieu_tu), officer).pk).update(
        status=Nomination.Status.APPROVED
    )
    services.campaign_save(campaign=campaign, quotas={cang_long: 3}, user=staff)
    campaign.title = "Đổi tên"
    services.campaign_save(campaign=campaign, quotas={}, user=staff)
    with pytest.raises(ValidationError) as caught:
        services.campaign_save(campaign=campaign, quotas={tieu_can: 1}, user=staff)
    assert list(caught.value.error_dict) == [services.quota_field(tieu_can)]
    campaign = services.campaign_close(campaign=campaign, user=staff)
    publish = {"campaign": campaign, "decision_number": "5/QĐ", "decision_date": today(), "user": staff}
    assert refusal_code(services.campaign_publish, **publish) == "over_quota"
    assert refusal(services.campaign_publish, **publish) == (
        "Huyện Tiểu Cần có 3 đề nghị đã duyệt, vượt chỉ tiêu 2: hãy thay đổi kết quả của một đề nghị, "
        "hoặc tăng chỉ tiêu của đơn vị, rồi mới công bố."
    )
    services.campaign_save(campaign=campaign, quotas={tieu_can: 3}, user=staff)
    services.campaign_publish(**publish)


def test_one_nomination_per_person_per_campaign(campaign, hieu_tu, officer):
    person = secretary(hieu_tu)
    draft(campaign, person, officer)
    message = refusal(
        services.nomination_save,
        nomination=Nomination(campaign=campaign, person=person, summary="x", report="y"),
        user=officer,
    )
    assert person.full_name in message
    assert Nomination.objects.filter(campaign=campaign, person=person).count() == 1


def test_only_a_current_secretary_can_be_nominated(campaign, hieu_tu, officer):
    person = secretary(hieu_tu)
    person.terms.update(ended_on=today() - datetime.timedelta(days=1))
    code = refusal_code(
        services.nomination_save,
        nomination=Nomination(campaign=campaign, person=person, summary="x", report="y"),
        user=officer,
    )
    assert code == "not_eligible"


def test_a_secretary_who_left_after_the_draft_cannot_be_submitted(campaign, hieu_tu, officer):
    person = secretary(hieu_tu)
    nomination = draft(campaign, person, officer)
    person.terms.update(ended_on=today())
    assert refusal_code(services.nomination_submit, nomination=nomination, user=officer) == "not_eligible"


def _assessed(person, value: int, *, submit=True):
    framework = framework_2026()
    assessor = UserFactory(role="district_officer", district=person.district)
    assessment = assessment_save(
        person=person,
        framework=framework,
        assessor=assessor,
        values={c.pk: value for c in framework_criteria(framework)},
    )
    return assessment_submit(assessment=assessment) if submit else assessment


@pytest.fixture
def rated_campaign(campaign):
    campaign.year = framework_2026().year
    campaign.minimum_rating = "tot"  # well fulfilled or better
    campaign.save()
    return campaign


def test_minimum_rating_says_how_many_levels_below(rated_campaign, hieu_tu, officer):
    person = secretary(hieu_tu)
    _assessed(person, 2)  # overall 2.00: did not fulfil, two levels below "well fulfilled"
    with pytest.raises(ValidationError) as caught:
        services.nomination_submit(nomination=draft(rated_campaign, person, officer), user=officer)
    assert caught.value.error_list[0].code == "not_eligible"
    assert "2" in caught.value.messages[0]


def test_minimum_rating_needs_a_submitted_assessment(rated_campaign, hieu_tu, officer):
    person = secretary(hieu_tu)
    _assessed(person, 5, submit=False)  # a draft does not count
    message = refusal(
        services.nomination_submit, nomination=draft(rated_campaign, person, officer), user=officer
    )
    assert str(rated_campaign.year) in message


def test_minimum_rating_reached(rated_campaign, hieu_tu, officer):
    person = secretary(hieu_tu)
    _assessed(person, 4)
    assert submitted(rated_campaign, person, officer).status == Nomination.Status.SUBMITTED


def test_candidates_ranked_by_the_years_score(rated_campaign, hieu_tu, tieu_can, officer):
    from awards.selectors import candidates

    low, high, unrated = secretary(hieu_tu), secretary(hieu_tu), secretary(hieu_tu)
    _assessed(low, 4)
    _assessed(high, 5)
    rows = candidates(campaign=rated_campaign, unit=tieu_can, user=officer)
    assert [r.person for r in rows] == [high, low]  # the unrated one is not eligible under a minimum rating
    rated_campaign.minimum_rating = ""
    rated_campaign.save()
    rows = candidates(campaign=rated_campaign, unit=tieu_can, user=officer)
    assert [r.person for r in rows] == [high, low, unrated]
    # A submitted assessment ranks; it is marked until the province confirms it.
    assert [r.unconfirmed for r in rows] == [True, True, False]


def test_an_unconfirmed_score_is_marked_where_nominees_are_ranked_and_reviewed(
    rated_campaign, hieu_tu, tieu_can, officer, staff, client
):
    """QA: the ranking, the review list and the nomination's page showed a score the province had not
    confirmed as if it were final."""
    from django.urls import reverse

    from assessments.services import assessment_confirm
    from tests.excel import read_export
    from tests.login import login_verified

    waiting, confirmed = (
        secretary(hieu_tu, full_name="Chờ Xác Nhận"),
        secretary(hieu_tu, full_name="Đã Xác Nhận"),
    )
    assessment_confirm(assessment=_assessed(confirmed, 5), user=staff)
    _assessed(waiting, 5)
    nomination = submitted(rated_campaign, waiting, officer)
    client.force_login(officer)
    ranking = client.get(reverse("awards:nomination_create", args=[rated_campaign.pk])).content.decode()
    marked = [row for row in ranking.split("<tr")[1:] if "data-unconfirmed" in row]
    assert len(marked) == 1 and "Chờ Xác Nhận" in marked[0]
    assert "data-unconfirmed" in client.get(nomination.get_absolute_url()).content.decode()
    login_verified(client, staff)
    review = client.get(reverse("awards:campaign_review", args=[rated_campaign.pk])).content.decode()
    assert review.count("data-unconfirmed") == 1
    # Its export too (QA4: "3.09 | Hoàn thành nhiệm vụ", read as final): the rating says it, the score
    # stays a number.
    export = read_export(client.get(reverse("awards:campaign_review_export", args=[rated_campaign.pk])))
    assert export.column("Xếp loại") == ["Hoàn thành xuất sắc nhiệm vụ (chưa xác nhận)"]
    assert isinstance(export.column("Điểm")[0], int | float)


# State machines --------------------------------------------------------------------------------------------


def test_campaign_goes_draft_open_review_decided(tra_vinh, hieu_tu, officer, staff):
    campaign = services.campaign_save(
        campaign=Campaign(
            province=tra_vinh,
            year=today().year,
            title="Đợt mới",
            opens_on=today(),
            closes_on=today() + datetime.timedelta(days=10),
        ),
        quotas={},
        user=staff,
    )
    assert campaign.status == Campaign.Status.DRAFT
    with pytest.raises(ValidationError):
        draft(campaign, secretary(hieu_tu), officer)  # not open yet
    campaign = services.campaign_open(campaign=campaign, user=staff)
    nomination = submitted(campaign, secretary(hieu_tu), officer)
    campaign = services.campaign_close(campaign=campaign, user=staff)
    assert campaign.status == Campaign.Status.REVIEW
    services.nomination_approve(nomination=nomination, reviewer=staff)
    campaign = services.campaign_publish(
        campaign=campaign, decision_number="12/QĐ", decision_date=today(), user=staff
    )
    assert campaign.status == Campaign.Status.DECIDED
    assert campaign.decided_by == staff
    assert Commendation.objects.get().nomination == nomination


def test_a_campaign_is_not_created_nor_opened_past_its_deadline(tra_vinh, staff):
    past = Campaign(
        province=tra_vinh,
        year=today().year,
        title="Đợt đã hết hạn",
        opens_on=today() - datetime.timedelta(days=10),
        closes_on=today() - datetime.timedelta(days=1),
    )
    assert refusal_code(services.campaign_save, campaign=past, quotas={}, user=staff) == "deadline_passed"
    past.closes_on = today()  # the deadline's own day still takes nominations
    campaign = services.campaign_save(campaign=past, quotas={}, user=staff)
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=today() - datetime.timedelta(days=1))
    assert refusal_code(services.campaign_open, campaign=campaign, user=staff) == "deadline_passed"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    # Moved forward, it opens.
    campaign.closes_on = today() + datetime.timedelta(days=7)
    services.campaign_save(campaign=campaign, quotas={}, user=staff, version=campaign.version)
    assert services.campaign_open(campaign=campaign, user=staff).status == Campaign.Status.OPEN


@pytest.mark.parametrize(
    "status, action",
    [
        ("nhap", "campaign_close"),
        ("nhap", "campaign_publish"),
        ("mo", "campaign_open"),
        ("mo", "campaign_publish"),
        ("xet_duyet", "campaign_close"),
        ("da_quyet_dinh", "campaign_open"),
        ("da_quyet_dinh", "campaign_close"),
        ("da_quyet_dinh", "campaign_publish"),
    ],
)
def test_illegal_campaign_transitions_are_refused(campaign, staff, status, action):
    Campaign.objects.filter(pk=campaign.pk).update(
        status=status, decision_number="1/QĐ", decision_date=today()
    )
    kwargs = {"campaign": campaign, "user": staff}
    if action == "campaign_publish":
        kwargs.update(decision_number="2/QĐ", decision_date=today())
    assert refusal_code(getattr(services, action), **kwargs) == "campaign_status"
    campaign.refresh_from_db()
    assert campaign.status == status


def test_review_reopens_to_open(campaign, staff):
    campaign = services.campaign_close(campaign=campaign, user=staff)
    assert services.campaign_open(campaign=campaign, user=staff).status == Campaign.Status.OPEN


def test_publish_refused_while_nominations_wait(campaign, hieu_tu, officer, staff):
    waiting = submitted(campaign, secretary(hieu_tu), officer)
    approved = submitted(campaign, secretary(hieu_tu), officer)
    campaign = services.campaign_close(campaign=campaign, user=staff)
    services.nomination_approve(nomination=approved, reviewer=staff)
    publish = {"campaign": campaign, "decision_number": "5/QĐ", "decision_date": today(), "user": staff}
    assert refusal_code(services.campaign_publish, **publish) == "nominations_waiting"
    services.nomination_reject(nomination=waiting, reviewer=staff, reason="Không đủ tiêu chuẩn")
    assert (
        refusal_code(services.campaign_publish, **{**publish, "decision_number": " "}) == "decision_missing"
    )
    services.campaign_publish(**publish)
    assert list(Commendation.objects.values_list("person", flat=True)) == [approved.person_id]


def test_publish_refused_when_nothing_is_approved(campaign, staff):
    campaign = services.campaign_close(campaign=campaign, user=staff)
    code = refusal_code(
        services.campaign_publish,
        campaign=campaign,
        decision_number="5/QĐ",
        decision_date=today(),
        user=staff,
    )
    assert code == "nothing_approved"
    assert not Commendation.objects.exists()


def test_nomination_transitions(campaign, hieu_tu, officer, staff):
    nomination = draft(campaign, secretary(hieu_tu), officer)
    assert refusal_code(services.nomination_approve, nomination=nomination, reviewer=staff) == "not_submitted"
    assert refusal_code(services.nomination_withdraw, nomination=nomination, user=officer) == "not_submitted"
    nomination = services.nomination_submit(nomination=nomination, user=officer)
    assert refusal_code(services.nomination_submit, nomination=nomination, user=officer) == "not_draft"
    assert refusal_code(services.nomination_delete, nomination=nomination, user=officer) == "not_draft"
    nomination = services.nomination_withdraw(nomination=nomination, user=officer)
    assert nomination.status == Nomination.Status.DRAFT and nomination.submitted_at is None
    nomination = services.nomination_submit(nomination=nomination, user=officer)
    nomination = services.nomination_reject(nomination=nomination, reviewer=staff, reason="Hồ sơ thiếu")
    assert (nomination.status, nomination.rejection_reason, nomination.reviewed_by) == (
        "khong_duyet",
        "Hồ sơ thiếu",
        staff,
    )
    # The province may change its mind before publishing: a separate step, with its reason.
    assert (
        refusal_code(services.nomination_approve, nomination=nomination, reviewer=staff) == "already_decided"
    )
    nomination = services.nomination_decision_change(
        nomination=nomination, approve=True, reason="Đã bổ sung hồ sơ", reviewer=staff
    )
    assert (nomination.status, nomination.rejection_reason) == ("duyet", "")
    assert nomination.history.first().history_change_reason == "Đã bổ sung hồ sơ"
    assert refusal_code(services.nomination_withdraw, nomination=nomination, user=officer) == "not_submitted"
    nomination.summary = "Sửa sau khi duyệt"
    assert (
        refusal_code(services.nomination_save, nomination=nomination, user=officer) == "nomination_reviewed"
    )


def test_reject_needs_a_reason(campaign, hieu_tu, officer, staff):
    nomination = submitted(campaign, secretary(hieu_tu), officer)
    assert refusal_code(services.nomination_reject, nomination=nomination, reviewer=staff, reason="  ") == (
        "reason_missing"
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED


def test_a_draft_is_deleted_and_nothing_else(campaign, hieu_tu, officer):
    nomination = draft(campaign, secretary(hieu_tu), officer)
    services.nomination_delete(nomination=nomination, user=officer)
    assert not Nomination.objects.filter(pk=nomination.pk).exists()


def test_bulk_review_is_all_or_nothing(campaign, hieu_tu, officer, staff):
    first = submitted(campaign, secretary(hieu_tu), officer)
    still_draft = draft(campaign, secretary(hieu_tu), officer)
    with pytest.raises(ValidationError):
        services.nominations_review(nominations=[first, still_draft], approve=True, reviewer=staff)
    first.refresh_from_db()
    assert first.status == Nomination.Status.SUBMITTED
    assert services.nominations_review(
        nominations=[first], approve=False, reviewer=staff, reason="Trùng"
    ) == (1, 0)
    with pytest.raises(ValidationError):
        services.nominations_review(nominations=[first], approve=False, reviewer=staff, reason="")


# Publication locks ------------------------------------------------------------------------------------------


@pytest.fixture
def decided(campaign, hieu_tu, officer, staff):
    nomination = submitted(campaign, secretary(hieu_tu), officer)
    services.nomination_approve(nomination=nomination, reviewer=staff)
    campaign = services.campaign_close(campaign=campaign, user=staff)
    return services.campaign_publish(
        campaign=campaign, decision_number="7/QĐ", decision_date=today(), user=staff
    )


def test_a_published_campaign_is_locked(decided, hieu_tu, tieu_can, officer, staff):
    nomination = decided.nominations.get()
    decided.title = "Đổi tên"
    assert refusal_code(services.campaign_save, campaign=decided, quotas={}, user=staff) == "campaign_locked"
    assert refusal_code(services.campaign_save, campaign=decided, quotas={tieu_can: 5}, user=staff) == (
        "campaign_locked"
    )
    assert refusal_code(services.nomination_reject, nomination=nomination, reviewer=staff, reason="x") == (
        "campaign_status"
    )
    nomination.summary = "Sửa"
    assert refusal_code(services.nomination_save, nomination=nomination, user=officer) == "campaign_locked"
    assert (
        refusal_code(
            services.nomination_save,
            nomination=Nomination(campaign=decided, person=secretary(hieu_tu), summary="x", report="y"),
            user=officer,
        )
        == "campaign_locked"
    )
    decided.refresh_from_db()
    assert decided.title == "Tuyên dương năm nay"
    assert decided.nominations.get().status == Nomination.Status.APPROVED


# Revocation ------------------------------------------------------------------------------------------------


def test_revocation_keeps_the_record_and_says_who(decided, staff):
    commendation = Commendation.objects.get()
    services.commendation_revoke(
        commendation=commendation, revoked_on=today(), reason="Kê khai thành tích không đúng", user=staff
    )
    commendation = Commendation.objects.get()  # still there
    assert commendation.is_revoked
    assert (commendation.revoked_by, commendation.revocation_reason) == (
        staff,
        "Kê khai thành tích không đúng",
    )
    latest = commendation.history.first()
    assert latest.history_type == "~" and latest.revoked_on == today()
    assert Commendation.objects.current().count() == 0


def test_revocation_refusals(decided, staff):
    commendation = Commendation.objects.get()
    revoke = {"commendation": commendation, "revoked_on": today(), "reason": "Sai", "user": staff}
    assert refusal_code(services.commendation_revoke, **{**revoke, "reason": " "}) == "reason_missing"
    assert refusal_code(services.commendation_revoke, **{**revoke, "revoked_on": None}) == "date_missing"
    before = decided.decision_date - datetime.timedelta(days=1)
    assert refusal_code(services.commendation_revoke, **{**revoke, "revoked_on": before}) == (
        "revoked_before_decision"
    )
    services.commendation_revoke(**revoke)
    assert refusal_code(services.commendation_revoke, **revoke) == "already_revoked"


def test_a_commendation_cannot_be_deleted_in_admin(decided, administrator, client):
    from django.urls import reverse

    login_verified(client, administrator)
    commendation = Commendation.objects.get()
    response = client.post(
        reverse("admin:awards_commendation_delete", args=[commendation.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Commendation.objects.filter(pk=commendation.pk).exists()
