"""What the first screen says about commendations (awards/home.py).

A district officer: each campaign of their province open for nominations today, with its deadline, the
quota left and the drafts not yet submitted. Provincial staff and the administrator: nominations waiting
for review per campaign and district. Nothing at all when there is nothing to say; a fixed number of
queries whatever the number of campaigns and nominations.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import services
from awards.home import panel
from awards.models import Campaign, Nomination, Quota
from tests.factories import BranchFactory, UserFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

# Read when a test needs it, not once at import: a run that crosses Vietnam's midnight would compare
# yesterday's date with the portal's today.
today = timezone.localdate


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def secretary(commune):
    return person_with_term(branch=BranchFactory(commune=commune))


def draft(campaign, person, user) -> Nomination:
    return services.nomination_save(
        nomination=Nomination(campaign=campaign, person=person, summary="Tóm tắt", report="Báo cáo"),
        user=user,
    )


def home(client, user) -> str:
    client.cookies["django_language"] = "en"  # the switch, as a person would
    login_verified(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


class TestDistrictOfficer:
    def test_open_campaign_with_deadline_quota_left_and_drafts(
        self, client, world, tieu_can_officer, hieu_tu
    ):
        campaign = world["campaign"]
        waiting = draft(campaign, secretary(hieu_tu), tieu_can_officer)
        result = panel(tieu_can_officer)
        [row] = result.context["open_campaigns"]
        assert row["campaign"] == campaign
        assert (row["quota"], row["used"], row["left"]) == (2, 1, 1)
        assert row["drafts"] == [waiting]
        assert row["window"].days == 20
        html = home(client, tieu_can_officer)
        assert campaign.title in html
        assert f"Deadline {(today() + days(20)).strftime('%d/%m/%Y')}" in html
        assert "20 days left" in html
        assert "places left of the quota (1 of 2 used)" in html
        assert "1 draft not submitted yet:" in html
        assert waiting.get_absolute_url() in html
        assert reverse("awards:nomination_create", args=[campaign.pk]) in html

    def test_the_districts_own_quota_counts(self, world, tieu_can_officer, tieu_can):
        Quota.objects.create(campaign=world["campaign"], district=tieu_can, quota=5)
        [row] = panel(tieu_can_officer).context["open_campaigns"]
        assert (row["quota"], row["used"], row["left"]) == (5, 1, 4)

    def test_another_districts_drafts_and_nominations_are_not_counted(
        self, world, tieu_can_officer, cang_long_officer, an_truong
    ):
        draft(world["campaign"], secretary(an_truong), cang_long_officer)
        [row] = panel(tieu_can_officer).context["open_campaigns"]
        assert (row["used"], row["drafts"]) == (1, [])

    def test_last_day(self, client, world, tieu_can_officer):
        Campaign.objects.filter(pk=world["campaign"].pk).update(closes_on=today())
        assert "closes today" in home(client, tieu_can_officer)

    @pytest.mark.parametrize(
        "change",
        [
            {"closes_on": today() - days(1)},  # the window has passed
            {"status": Campaign.Status.REVIEW},
        ],
        ids=["closed", "under review"],
    )
    def test_nothing_when_no_campaign_takes_nominations_today(self, client, world, tieu_can_officer, change):
        Campaign.objects.filter(pk=world["campaign"].pk).update(**change)
        assert panel(tieu_can_officer) is None
        assert "Commendation campaign open for nominations" not in home(client, tieu_can_officer)

    def test_opened_ahead_of_its_first_day_it_says_from_when(self, client, world, tieu_can_officer):
        """Not "open for nominations", no countdown, no "Nominate": the day they are received from."""
        campaign = world["campaign"]
        Campaign.objects.filter(pk=campaign.pk).update(opens_on=today() + days(2))
        [row] = panel(tieu_can_officer).context["open_campaigns"]
        assert row["window"].state == "before"
        html = home(client, tieu_can_officer)
        card = html[html.index(f'data-open-campaign="{campaign.pk}"') :]
        assert f"Nominations will be received from {(today() + days(2)).strftime('%d/%m/%Y')}." in card
        assert "Commendation campaign open for nominations" not in html and "days left" not in card
        assert reverse("awards:nomination_create", args=[campaign.pk]) not in html

    def test_another_provinces_campaign_is_not_shown(self, world, long_ho, vinh_long):
        Campaign.objects.create(
            province=vinh_long,
            year=today().year,
            title="Vĩnh Long",
            opens_on=today() - days(1),
            closes_on=today() + days(1),
            status=Campaign.Status.OPEN,
        )
        officer = UserFactory(role="district_officer", district=long_ho)
        [row] = panel(officer).context["open_campaigns"]
        assert row["campaign"].title == "Vĩnh Long"
        assert (row["used"], row["left"]) == (0, 3)


class TestProvincialStaff:
    def test_waiting_per_campaign_and_district(
        self, client, world, tra_vinh_staff, tieu_can_officer, hieu_tu
    ):
        campaign = world["campaign"]
        services.nomination_submit(
            nomination=draft(campaign, secretary(hieu_tu), tieu_can_officer), user=tieu_can_officer
        )
        draft(campaign, secretary(hieu_tu), tieu_can_officer)  # a draft is not the province's business yet
        [entry] = panel(tra_vinh_staff).context["waiting"]
        assert (entry.campaign_id, entry.total) == (campaign.pk, 3)
        assert [(d["name"], d["count"]) for d in entry.districts] == [
            ("Huyện Càng Long", 1),
            ("Huyện Tiểu Cần", 2),
        ]
        html = home(client, tra_vinh_staff)
        review = reverse("awards:campaign_review", args=[campaign.pk])
        assert "Nominations waiting for review" in html
        assert f'href="{review}"' in html
        assert f"{review}?district={world['tieu_can'].commune.district_id}" in html

    def test_a_long_list_of_units_names_those_with_the_most_waiting(
        self, client, world, tra_vinh_staff, tieu_can_officer, hieu_tu, monkeypatch
    ):
        """A merged province has some 120 communes: the card names the units with the most nominations
        waiting, in that order, and says how many others wait (the review page has them all)."""
        from awards import home as awards_home

        campaign = world["campaign"]
        services.nomination_submit(
            nomination=draft(campaign, secretary(hieu_tu), tieu_can_officer), user=tieu_can_officer
        )
        monkeypatch.setattr(awards_home, "SHOWN_UNITS", 1)
        [entry] = panel(tra_vinh_staff).context["waiting"]
        assert entry.total == 3
        assert [(d["name"], d["count"]) for d in entry.districts] == [("Huyện Tiểu Cần", 2)]
        assert entry.more_units == 1
        html = home(client, tra_vinh_staff)
        assert 'data-more-units="1"' in html and "and 1 other unit" in html
        review = reverse("awards:campaign_review", args=[campaign.pk])
        assert f"{review}?district={world['tieu_can'].commune.district_id}" in html
        assert f"{review}?district={world['cang_long'].commune.district_id}" not in html

    def test_still_waiting_once_closed_for_review(self, world, tra_vinh_staff):
        services.campaign_close(campaign=world["campaign"], user=tra_vinh_staff)
        [entry] = panel(tra_vinh_staff).context["waiting"]
        assert entry.total == 2

    def test_the_administrator_sees_one_line_per_campaign(self, world, administrator):
        national = panel(administrator).context["national"]
        assert national["total"] == 2 and national["more"] == 0
        assert [(r["province"], r["count"]) for r in national["rows"]] == [("Tỉnh Trà Vinh", 2)]

    def test_the_administrators_lines_are_capped(self, world, administrator, monkeypatch):
        from awards import home

        monkeypatch.setattr(home, "NATIONAL_ROWS", 0)
        national = panel(administrator).context["national"]
        assert national["rows"] == [] and national["more"] == 1

    def test_nothing_when_all_are_reviewed(self, client, world, tra_vinh_staff):
        services.nomination_approve(nomination=world["tieu_can_nomination"], reviewer=tra_vinh_staff)
        services.nomination_reject(
            nomination=world["cang_long_nomination"], reviewer=tra_vinh_staff, reason="Chưa đạt"
        )
        assert panel(tra_vinh_staff) is None
        assert "Nominations waiting for review" not in home(client, tra_vinh_staff)

    def test_another_province_has_nothing_to_review(self, world, vinh_long_staff):
        assert panel(vinh_long_staff) is None


def test_no_panel_without_a_role(world, no_role_user):
    assert panel(no_role_user) is None


@pytest.mark.parametrize(("persona", "queries"), [("tieu_can_officer", 2), ("tra_vinh_staff", 1)])
def test_fixed_number_of_queries(
    persona, queries, world, request, count_queries, hieu_tu, an_truong, tra_vinh
):
    user = request.getfixturevalue(persona)
    # Read once per request, before any panel's own queries (core/scope.py, accounts.models.User).
    user.former_branch_ids()
    user.scope_province_ids()
    with count_queries() as small:
        panel(user)
    # Each nominee's own district nominates them (services.nomination_save refuses another unit).
    officers = {c: UserFactory(role="district_officer", district=c.district) for c in (hieu_tu, an_truong)}
    for year in (today().year + 2, today().year + 3):
        campaign = Campaign.objects.create(
            province=tra_vinh,
            year=year,
            title=f"Đợt {year}",
            opens_on=today() - days(1),
            closes_on=today() + days(5),
            status=Campaign.Status.OPEN,
        )
        for commune in (hieu_tu, hieu_tu, an_truong):
            officer = officers[commune]
            services.nomination_submit(nomination=draft(campaign, secretary(commune), officer), user=officer)
            draft(campaign, secretary(commune), officer)
    with count_queries() as large:
        result = panel(user)
    assert len(small) == len(large) == queries
    if persona == "tieu_can_officer":
        assert len(result.context["open_campaigns"]) == 3
        assert sum(len(r["drafts"]) for r in result.context["open_campaigns"]) == 4
    else:
        assert len(result.context["waiting"]) == 3
