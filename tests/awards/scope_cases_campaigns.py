"""Scope matrix cases for commendation campaigns (gathered by tests/test_scope_matrix.py).

The world's campaigns are Trà Vinh's: Vĩnh Long's staff do not see them (404). District officers see the
province's campaigns once they are no longer drafts (the draft is 404 for them), and the staff pages of a
campaign they see answer 403. The Càng Long officer sees the open campaign, but only Càng Long's nominations
in it (tests/awards/test_campaigns.py)."""

from django.urls import reverse

from tests.test_scope_matrix import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Case


def campaign_url(name, key="campaign", suffix=""):
    return lambda world: reverse(name, args=[world[key].pk]) + suffix


def staff_page(inside=OK, officers=FORBIDDEN):
    """Trà Vinh's staff and the administrator get the page; officers `officers`; Vĩnh Long's staff 404."""
    return {
        "administrator": inside,
        "tra_vinh_staff": inside,
        "tieu_can_officer": officers,
        "cang_long_officer": officers,
        "vinh_long_staff": NOT_FOUND,
    }


def seen_by_province(inside=OK):
    """Everyone of Trà Vinh sees it; Vĩnh Long's staff do not."""
    return {
        "administrator": inside,
        "tra_vinh_staff": inside,
        "tieu_can_officer": inside,
        "cang_long_officer": inside,
        "vinh_long_staff": NOT_FOUND,
    }


CREATE_RIGHTS = {"tieu_can_officer": FORBIDDEN, "cang_long_officer": FORBIDDEN}

CASES = [
    Case("campaign list", lambda w: reverse("awards:campaign_list"), {}),
    Case("campaign create", lambda w: reverse("awards:campaign_create"), CREATE_RIGHTS),
    Case(
        "campaign create (province chosen)",
        lambda w: reverse("awards:campaign_create") + f"?province={w['campaign'].province_id}",
        CREATE_RIGHTS,
    ),
    # An empty post comes back with its errors (200): nothing is written.
    Case("campaign create (post)", lambda w: reverse("awards:campaign_create"), CREATE_RIGHTS, method="post"),
    Case("campaign detail (open)", campaign_url("awards:campaign_detail"), seen_by_province()),
    Case(
        "campaign detail (decided)",
        campaign_url("awards:campaign_detail", "decided_campaign"),
        seen_by_province(),
    ),
    Case(
        "campaign detail (draft)",
        campaign_url("awards:campaign_detail", "draft_campaign"),
        staff_page(officers=NOT_FOUND),
    ),
    Case("campaign edit", campaign_url("awards:campaign_update"), staff_page()),
    Case(
        "campaign edit (draft)",
        campaign_url("awards:campaign_update", "draft_campaign"),
        staff_page(officers=NOT_FOUND),
    ),
    # A decided campaign is locked: its edit page sends back to the campaign with a message.
    Case(
        "campaign edit (decided)",
        campaign_url("awards:campaign_update", "decided_campaign"),
        staff_page(inside=REDIRECT),
    ),
    Case("campaign edit (post)", campaign_url("awards:campaign_update"), staff_page(), method="post"),
    # Opening an open campaign is refused with a message and a redirect; nothing changes.
    Case("campaign open", campaign_url("awards:campaign_open"), staff_page(inside=REDIRECT), method="post"),
    Case(
        "campaign open (draft)",
        campaign_url("awards:campaign_open", "draft_campaign"),
        staff_page(inside=REDIRECT, officers=NOT_FOUND),
        method="post",
    ),
    # Closing the draft is refused (it is not open): a message and a redirect, nothing changes.
    Case(
        "campaign close (draft)",
        campaign_url("awards:campaign_close", "draft_campaign"),
        staff_page(inside=REDIRECT, officers=NOT_FOUND),
        method="post",
    ),
    Case(
        "campaign close (decided)",
        campaign_url("awards:campaign_close", "decided_campaign"),
        staff_page(inside=REDIRECT),
        method="post",
    ),
    Case("campaign publish (form)", campaign_url("awards:campaign_publish"), staff_page()),
    # An empty post re-shows the form with its errors.
    Case("campaign publish (post)", campaign_url("awards:campaign_publish"), staff_page(), method="post"),
    Case(
        "campaign publish (draft)",
        campaign_url("awards:campaign_publish", "draft_campaign"),
        staff_page(officers=NOT_FOUND),
    ),
    # Already published: to the published list.
    Case(
        "campaign publish (decided)",
        campaign_url("awards:campaign_publish", "decided_campaign"),
        staff_page(inside=REDIRECT),
    ),
    # The certificate as it will read: drawn for the first nomination sent, the decision from the query.
    Case(
        "campaign publish preview",
        campaign_url(
            "awards:campaign_publish_preview", suffix="?decision_number=1%2FQ%C4%90&decision_date=x"
        ),
        staff_page(),
    ),
    # The draft has no nomination sent: nothing to draw.
    Case(
        "campaign publish preview (draft)",
        campaign_url("awards:campaign_publish_preview", "draft_campaign"),
        staff_page(inside=NOT_FOUND, officers=NOT_FOUND),
    ),
    Case(
        "campaign correct (form)", campaign_url("awards:campaign_correct", "decided_campaign"), staff_page()
    ),
    # Without a reason the form comes back with its error; nothing is corrected.
    Case(
        "campaign correct (post)",
        campaign_url("awards:campaign_correct", "decided_campaign"),
        staff_page(),
        method="post",
    ),
    # Nothing published to correct: back to the campaign with a message.
    Case("campaign correct (open)", campaign_url("awards:campaign_correct"), staff_page(inside=REDIRECT)),
    Case("campaign review", campaign_url("awards:campaign_review"), staff_page()),
    Case(
        "campaign review (filtered)",
        lambda w: (
            reverse("awards:campaign_review", args=[w["campaign"].pk])
            + f"?district={w['tieu_can'].commune.district_id}&status=da_gui"
        ),
        staff_page(),
    ),
    Case(
        "campaign review (decided)", campaign_url("awards:campaign_review", "decided_campaign"), staff_page()
    ),
    Case(
        "campaign review (draft)",
        campaign_url("awards:campaign_review", "draft_campaign"),
        staff_page(officers=NOT_FOUND),
    ),
    # An empty bulk post re-shows the page with its error (nothing ticked): nothing changes.
    Case("campaign review (post)", campaign_url("awards:campaign_review"), staff_page(), method="post"),
    # The review list as .xlsx, as filtered and sorted.
    Case("campaign review export", campaign_url("awards:campaign_review_export"), staff_page()),
    Case(
        "campaign review export (filtered)",
        campaign_url("awards:campaign_review_export", suffix="?q=teo&status=da_gui&o=-score"),
        staff_page(),
    ),
    # The quota of each unit (the districts of Trà Vinh here), a page at a time.
    Case("campaign quotas", campaign_url("awards:campaign_quotas"), staff_page()),
    Case(
        "campaign quotas (search)",
        campaign_url("awards:campaign_quotas", suffix="?q=tieu+can"),
        staff_page(),
    ),
    # An empty post leaves every unit at the default (the world has no override) and comes back.
    Case(
        "campaign quotas (post)",
        campaign_url("awards:campaign_quotas"),
        staff_page(inside=REDIRECT),
        method="post",
    ),
    Case(
        "campaign quotas (draft)",
        campaign_url("awards:campaign_quotas", "draft_campaign"),
        staff_page(officers=NOT_FOUND),
    ),
    # Locked once decided: back to the campaign with a message.
    Case(
        "campaign quotas (decided)",
        campaign_url("awards:campaign_quotas", "decided_campaign"),
        staff_page(inside=REDIRECT),
    ),
]
