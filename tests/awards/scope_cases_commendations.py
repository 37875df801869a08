"""Scope matrix cases for the published commendations (gathered by tests/test_scope_matrix.py).

The published list is meant to be shown: every role of Trà Vinh sees every district's commendations, their
pages, photos and certificates; Vĩnh Long's staff find none of them (404). Nothing is published before the
decision (404 for everyone). Revoking is for provincial staff: a district officer gets 403.
"""

from django.urls import reverse

from tests.test_scope_matrix import FORBIDDEN, NOT_FOUND, Case

IN_TRA_VINH = {"vinh_long_staff": NOT_FOUND}
NOWHERE = {
    "administrator": NOT_FOUND,
    "tra_vinh_staff": NOT_FOUND,
    "tieu_can_officer": NOT_FOUND,
    "cang_long_officer": NOT_FOUND,
    "vinh_long_staff": NOT_FOUND,
}
STAFF_ONLY = {"tieu_can_officer": FORBIDDEN, "cang_long_officer": FORBIDDEN, "vinh_long_staff": NOT_FOUND}


def campaign_url(name, key="decided_campaign"):
    return lambda world: reverse(name, args=[world[key].pk])


def commendation_url(name, key="tieu_can_commendation"):
    return lambda world: reverse(name, args=[world[key].pk])


CASES = [
    Case("published list", campaign_url("awards:commendation_list"), IN_TRA_VINH),
    Case("official list", campaign_url("awards:commendation_official_list"), IN_TRA_VINH),
    Case("official list PDF", campaign_url("awards:commendation_official_pdf"), IN_TRA_VINH),
    Case("all certificates PDF", campaign_url("awards:commendation_certificates"), IN_TRA_VINH),
    Case(
        "official list (not decided)", campaign_url("awards:commendation_official_list", "campaign"), NOWHERE
    ),
    Case(
        "official list PDF (not decided)",
        campaign_url("awards:commendation_official_pdf", "campaign"),
        NOWHERE,
    ),
    Case(
        "all certificates PDF (not decided)",
        campaign_url("awards:commendation_certificates", "campaign"),
        NOWHERE,
    ),
    Case("published list export", campaign_url("awards:commendation_export"), IN_TRA_VINH),
    # An open campaign has no published list yet, not even for the province.
    Case("published list (not decided)", campaign_url("awards:commendation_list", "campaign"), NOWHERE),
    Case(
        "published list export (not decided)", campaign_url("awards:commendation_export", "campaign"), NOWHERE
    ),
    Case(
        "published list (draft campaign)", campaign_url("awards:commendation_list", "draft_campaign"), NOWHERE
    ),
    Case("commendation detail", commendation_url("awards:commendation_detail"), IN_TRA_VINH),
    # Càng Long's officer sees Tiểu Cần's commendation too: the list is province-wide.
    Case(
        "commendation detail (Càng Long)",
        commendation_url("awards:commendation_detail", "cang_long_commendation"),
        IN_TRA_VINH,
    ),
    Case("commendation certificate", commendation_url("awards:commendation_certificate"), IN_TRA_VINH),
    Case("commendation portrait", commendation_url("awards:commendation_portrait"), IN_TRA_VINH),
    # Nhung of Càng Long has no portrait.
    Case(
        "commendation portrait (none)",
        commendation_url("awards:commendation_portrait", "cang_long_commendation"),
        NOWHERE,
    ),
    Case("commendation revoke (form)", commendation_url("awards:commendation_revoke"), STAFF_ONLY),
    # An empty post comes back with its errors (200): nothing is revoked.
    Case(
        "commendation revoke (empty post)",
        commendation_url("awards:commendation_revoke"),
        STAFF_ONLY,
        method="post",
    ),
    Case("commendation statistics", lambda w: reverse("awards:statistics"), {}),
    Case("commendation statistics (a year)", lambda w: reverse("awards:statistics") + "?year=2020", {}),
]
