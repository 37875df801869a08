"""Nomination pages in the URL × persona matrix (tests/test_scope_matrix.py).

The world's Tiểu Cần nomination is submitted in this year's open campaign. A district officer of another
district (Càng Long) and staff of another province (Vĩnh Long) get 404 for it, on every page and every post;
provincial staff inside the scope get 403 on the district's own actions, the Tiểu Cần officer 403 on the
province's review actions.
"""

from django.urls import reverse

from awards import services
from tests.test_scope_matrix import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Case, in_tieu_can


def _nomination(name, key="tieu_can_nomination"):
    return lambda w: reverse(name, args=[w[key].pk])


def _as_draft(url):
    """`url` of the Tiểu Cần nomination once back to draft: only a draft is edited, its documents
    attached and removed (services.change_refusal)."""

    def draft_url(w):
        from awards.models import Nomination

        # Whatever an earlier case made of it: the crawl walks every case in one transaction.
        Nomination.objects.filter(pk=w["tieu_can_nomination"].pk).update(
            status=Nomination.Status.DRAFT,
            submitted_at=None,
            reviewed_at=None,
            reviewed_by=None,
            rejection_reason="",
        )
        return url(w)

    return draft_url


def _draft(name):
    """The Tiểu Cần nomination taken back to draft first (what delete and submit act on)."""
    return _as_draft(_nomination(name))


def _approved(name):
    """The Tiểu Cần nomination approved first (what changing the decision acts on)."""

    def url(w):
        from awards.models import Nomination

        # Tests that walk every case in one transaction may meet it taken back to draft by an earlier case.
        nomination = Nomination.objects.get(pk=w["tieu_can_nomination"].pk)
        if nomination.status == Nomination.Status.DRAFT:
            Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.SUBMITTED)
            nomination.refresh_from_db()
        if nomination.status == Nomination.Status.SUBMITTED:
            services.nomination_approve(nomination=nomination, reviewer=None)
        return reverse(name, args=[w["tieu_can_nomination"].pk])

    return url


def _rejected(name):
    """The Tiểu Cần nomination not approved first (what the unit takes back to correct)."""

    def url(w):
        from awards.models import Nomination

        Nomination.objects.filter(pk=w["tieu_can_nomination"].pk).update(
            status=Nomination.Status.REJECTED, rejection_reason="Báo cáo thành tích chưa đính kèm"
        )
        return reverse(name, args=[w["tieu_can_nomination"].pk])

    return url


def _document(name):
    """A PDF attached to the Tiểu Cần nomination first (served and removed only in its scope)."""

    def url(w):
        from django.core.files.base import ContentFile

        from awards.models import NominationDocument

        document = NominationDocument(
            nomination=w["tieu_can_nomination"],
            kind=NominationDocument.Kind.REPORT,
            original_name="bao-cao.pdf",
            content_type="application/pdf",
            size=9,
        )
        document.file.save("scope.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        return reverse(name, args=[document.pk])

    return url


def _campaign(key):
    return lambda w: reverse("awards:nomination_create", args=[w[key].pk])


def district_only(status=OK):
    """The Tiểu Cần officer's own actions: provincial staff and the administrator 403, outsiders 404."""
    return {
        **in_tieu_can(),
        "tieu_can_officer": status,
        "administrator": FORBIDDEN,
        "tra_vinh_staff": FORBIDDEN,
    }


def province_only(status=OK):
    """Review actions: the Tiểu Cần officer 403, outsiders 404."""
    return {**in_tieu_can(status_inside=status), "tieu_can_officer": FORBIDDEN}


# Nominating in a campaign: officers of the campaign's province only; the province's staff 403.
NOMINATE = {
    "administrator": FORBIDDEN,
    "tra_vinh_staff": FORBIDDEN,
    "tieu_can_officer": OK,
    "cang_long_officer": OK,
    "vinh_long_staff": NOT_FOUND,
}

CASES = [
    Case("nominate", _campaign("campaign"), NOMINATE),
    Case("nominate with a preselected person", lambda w: _campaign("campaign")(w) + "?person=1", NOMINATE),
    # An empty post comes back with its errors: nothing is written.
    Case("nominate (post)", _campaign("campaign"), NOMINATE, method="post"),
    # A campaign still in draft does not exist for the districts.
    Case(
        "nominate in a draft campaign",
        _campaign("draft_campaign"),
        {**NOMINATE, "tieu_can_officer": NOT_FOUND, "cang_long_officer": NOT_FOUND},
    ),
    Case("nominate in a decided campaign", _campaign("decided_campaign"), NOMINATE),
    Case("nomination detail", _nomination("awards:nomination_detail"), in_tieu_can()),
    Case(
        "nomination detail (Càng Long)",
        _nomination("awards:nomination_detail", "cang_long_nomination"),
        {**in_tieu_can(), "tieu_can_officer": NOT_FOUND, "cang_long_officer": OK},
    ),
    Case("nomination edit", _as_draft(_nomination("awards:nomination_update")), district_only()),
    Case(
        "nomination edit (post)",
        _as_draft(_nomination("awards:nomination_update")),
        district_only(),
        method="post",
    ),
    Case(
        "nomination submit",
        _draft("awards:nomination_submit"),
        district_only(REDIRECT),
        method="post",
    ),
    Case(
        "nomination withdraw",
        _nomination("awards:nomination_withdraw"),
        district_only(REDIRECT),
        method="post",
    ),
    # Not approved while the campaign is open: the unit takes it back to draft, to correct and send again.
    Case(
        "nomination revise",
        _rejected("awards:nomination_revise"),
        district_only(REDIRECT),
        method="post",
    ),
    Case("nomination delete (confirm)", _draft("awards:nomination_delete"), district_only()),
    Case("nomination delete", _draft("awards:nomination_delete"), district_only(REDIRECT), method="post"),
    Case(
        "nomination approve",
        _nomination("awards:nomination_approve"),
        province_only(REDIRECT),
        method="post",
    ),
    Case("nomination reject (form)", _nomination("awards:nomination_reject"), province_only()),
    # Without a reason the form comes back with its error.
    Case("nomination reject (post)", _nomination("awards:nomination_reject"), province_only(), method="post"),
    # Still waiting: there is no decision to change yet, back to the nomination with a message.
    Case(
        "nomination change decision (waiting)",
        _nomination("awards:nomination_decision_change"),
        province_only(REDIRECT),
    ),
    Case(
        "nomination change decision (form)", _approved("awards:nomination_decision_change"), province_only()
    ),
    # Without a reason and the tick the form comes back with its errors.
    Case(
        "nomination change decision (post)",
        _approved("awards:nomination_decision_change"),
        province_only(),
        method="post",
    ),
    # An empty upload comes back on the nomination's page with its error.
    Case(
        "nomination document upload",
        _as_draft(_nomination("awards:nomination_document_upload")),
        district_only(),
        method="post",
    ),
    Case("nomination document", _document("awards:nomination_document"), in_tieu_can()),
    Case(
        "nomination document delete (confirm)",
        _as_draft(_document("awards:nomination_document_delete")),
        district_only(),
    ),
    Case(
        "nomination document delete",
        _as_draft(_document("awards:nomination_document_delete")),
        district_only(REDIRECT),
        method="post",
    ),
]
