"""What a secretary's own page (/toi/) and their data export hold of commendations, and the download of
their own certificate (registered in apps.py, read through core.sections and core.subject_data)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.excel import Sheet
from core.mixins import secretary_view
from core.planning import object_or_404
from core.sections import Section

from .certificate import certificate_pdf, filename
from .models import Commendation


def _own(person):
    return (
        Commendation.objects.filter(person=person)
        .select_related("campaign", "branch")
        .order_by("-year", "-pk")
    )


def own_section(person, *, user) -> Section:
    return Section(
        template="awards/partials/own_commendations.html", context={"own_commendations": list(_own(person))}
    )


def subject_sheets(person) -> list[Sheet]:
    return [
        Sheet(
            _("Commendations"),
            [
                _("Year"),
                _("Campaign"),
                _("Decision number"),
                _("Decision date"),
                _("Branch"),
                _("Revoked on"),
                _("Reason for revocation"),
            ],
            [
                [
                    c.year,
                    c.campaign.title,
                    c.campaign.decision_number,
                    c.campaign.decision_date,
                    c.branch.name,
                    c.revoked_on,
                    c.revocation_reason,
                ]
                for c in _own(person)
            ],
        )
    ]


@never_cache
@secretary_view
def own_certificate(request, pk):
    """The secretary's own certificate as a PDF (the same as the province prints); none once revoked."""
    commendation = object_or_404(
        # A revoked commendation has no certificate any more.
        Commendation.objects.filter(person=request.user.person_id, revoked_on__isnull=True).select_related(
            "person",
            "branch__commune__district",
            "district__province",
            "commune",
            "nomination",
            "campaign__province",
        ),
        pk=pk,
    )
    response = HttpResponse(certificate_pdf(commendation), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename(commendation))
    response["Cache-Control"] = "private, no-store"
    return response
