"""The published outputs of a campaign: the list (page, print and Excel), each commendation with its
certificate and portrait, revocation, and the statistics.

A published list is meant to be shown ("giáo dục bằng phương pháp nêu gương"), so every role of the province
sees every district's commended secretaries (Commendation.objects.visible_to). Campaigns load through
Campaign.objects.visible_to; what is not there is a 404.
"""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from branches.rollup import branch_unit_today, provinces_today, unit_names, units_mode, units_switch
from branches.selectors import branch_communes_on
from core.excel import xlsx_response
from core.files import protected_image_response
from core.history import history_rows
from core.jobs import JobResult, job_start
from core.mixins import ScopedObjectMixin, portal_view
from core.planning import object_or_404
from core.versioning import VERSION_FIELD
from secretaries.models import Person

from . import selectors, services
from .certificate import all_certificates_filename, certificate_pdf, certificates_pdf, filename, position
from .commendation_forms import CommendationRevokeForm, StatisticsYearForm
from .home import per_year_chart
from .models import Campaign, Commendation
from .official_list import (
    count_line,
    official_heading,
    official_list_filename,
    official_list_pdf,
    official_rows,
)


def _decided_campaign(request, campaign_pk) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("province"), pk=campaign_pk
    )
    if not campaign.is_decided:
        raise Http404  # nothing is published before the decision
    return campaign


def _commendations(user):
    return Commendation.objects.visible_to(user).select_related(
        "person",
        "branch__commune__district",
        "district__province",
        "commune",
        "nomination",
        "campaign__province",
        "revoked_by",
    )


# ---------------------------------------------------------------------------------------------------
# The published list


@portal_view
def commendation_list(request, campaign_pk):
    """Unit by unit (the districts, or since the 2025 reform the communes, that nominated), with photos; each
    branch named with its commune on the decision date. Revoked commendations stay on the page, struck
    through with their date (the record stays); the printed list leaves them out, because it is posted as
    an example to follow, and says how many it left out so its count still matches the decision."""
    campaign = _decided_campaign(request, campaign_pk)
    rows = selectors.communes_on_decision(
        list(selectors.published_commendations(campaign=campaign, user=request.user)), campaign=campaign
    )
    for commendation in rows:
        # As the certificate and the list attached to the decision word it: the units on the decision date.
        district = commendation.district or commendation.commune_then.district
        commendation.position = position(
            commendation.branch.name,
            commendation.commune_then.name,
            *([district.name] if district is not None else []),
        )
    groups = []
    for unit, entries in groupby(rows, key=lambda c: c.unit):
        entries = list(entries)
        current = sum(1 for c in entries if not c.is_revoked)
        groups.append({"unit": unit, "entries": entries, "current": current})
    revoked = sum(1 for c in rows if c.is_revoked)
    return render(
        request,
        "awards/commendation_list.html",
        {
            "campaign": campaign,
            "groups": groups,
            "total": len(rows) - revoked,
            "revoked": revoked,
        },
    )


def _official(request, campaign_pk):
    campaign = _decided_campaign(request, campaign_pk)
    commendations = selectors.communes_on_decision(
        list(selectors.published_commendations(campaign=campaign, user=request.user)), campaign=campaign
    )
    return campaign, commendations


@portal_view
def commendation_official_list(request, campaign_pk):
    """The published list as the official list attached to the decision, for printing (A4 portrait, the
    table's header repeated on each page): STT, full name, year of birth, position and unit on the decision
    date, the decision line and the signature block. A commendation revoked since keeps its row, marked."""
    campaign, commendations = _official(request, campaign_pk)
    rows = official_rows(commendations)
    return render(
        request,
        "awards/commendation_official_list.html",
        {
            "campaign": campaign,
            "heading": official_heading(campaign),
            "rows": rows,
            "count_line": count_line(rows),
        },
    )


@portal_view
def commendation_official_pdf(request, campaign_pk):
    """The official list as a PDF (the same rows as the print view)."""
    campaign, commendations = _official(request, campaign_pk)
    response = HttpResponse(
        official_list_pdf(campaign, official_rows(commendations)), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(False, official_list_filename(campaign))
    return response


def _current_certificates(campaign, user) -> list[Commendation]:
    return [c for c in selectors.published_commendations(campaign=campaign, user=user) if not c.is_revoked]


@portal_view
def commendation_certificates(request, campaign_pk):
    """ "In tất cả giấy chứng nhận": every current certificate of the decision in one PDF, a page each,
    in the order of the published list. For whoever may print a single certificate (the province). A large
    decision (above CERTIFICATES_JOB_THRESHOLD) is drawn by the worker, followed on the job's page."""
    campaign = _decided_campaign(request, campaign_pk)
    commendations = _current_certificates(campaign, request.user)
    if not commendations:
        raise Http404
    if len(commendations) > settings.CERTIFICATES_JOB_THRESHOLD:
        job = job_start(
            owner=request.user,
            kind="certificates",
            title=lambda: (
                _("Certificates of decision %(number)s (%(count)s)")
                % {"number": campaign.decision_number, "count": len(commendations)}
            ),
            func=certificates_job,
            params={"campaign": campaign.pk},
        )
        return redirect(job)
    response = HttpResponse(certificates_pdf(commendations, campaign), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, all_certificates_filename(campaign))
    response["Cache-Control"] = "private, no-store"
    return response


def certificates_job(*, job, user, campaign: int) -> JobResult:
    """The worker's side of `commendation_certificates`: the same decision, loaded in the owner's scope."""
    campaign = Campaign.objects.visible_to(user).select_related("province").filter(pk=campaign).first()
    if campaign is None or not campaign.is_decided:
        raise ValidationError(_("The decision is no longer there to print."))
    commendations = _current_certificates(campaign, user)
    if not commendations:
        raise ValidationError(_("The decision has no current commendation left to print."))
    pdf = certificates_pdf(
        commendations, campaign, progress=lambda done: job.report(done, len(commendations))
    )
    return JobResult(file=pdf, filename=all_certificates_filename(campaign), content_type="application/pdf")


@portal_view
def commendation_export(request, campaign_pk):
    """The published list as .xlsx: the page's columns, plus gender, ethnicity and party membership (what the
    statistics count). The list reaches beyond an officer's own scope: ethnicity and party membership,
    personal data, are written only for the people within it (Person.objects.visible_to); no phone, birth
    date or religion for anyone."""
    campaign = _decided_campaign(request, campaign_pk)
    commendations = list(selectors.published_commendations(campaign=campaign, user=request.user))
    within_scope = set(
        Person.objects.visible_to(request.user)
        .filter(pk__in={c.person_id for c in commendations})
        .values_list("pk", flat=True)
    )
    # The commune each branch belonged to on the decision date, as the certificate names it.
    communes_then = branch_communes_on([c.branch for c in commendations], campaign.decision_date)
    headers = [
        _("Nominating unit"),
        _("Full name"),
        _("Gender"),
        _("Ethnicity"),
        _("Party member"),
        _("Branch"),
        _("Commune"),
        _("Summary of achievements"),
        _("Decision number"),
        _("Decision date"),
        _("Revoked on"),
        _("Reason for revocation"),
        _("Unit when recorded"),
        _("Unit today"),
    ]
    # Labels are looked up once, not for each row.
    genders, ethnicities = (
        {value: str(label) for value, label in Person._meta.get_field(name).flatchoices}
        for name in ("gender", "ethnicity")
    )
    yes, no = _("Yes"), _("No")
    successors = provinces_today()

    def rows():
        for c in commendations:
            person = c.person
            personal = person.pk in within_scope
            yield [
                c.unit.name,
                person.full_name,
                genders.get(person.gender, ""),
                ethnicities.get(person.ethnicity, "") if personal else None,
                (yes if person.is_party_member else no) if personal else None,
                c.branch.name,
                communes_then[c.branch_id].name,
                c.nomination.summary,
                campaign.decision_number,
                campaign.decision_date,
                c.revoked_on,
                c.revocation_reason,
                unit_names(c.unit.name, c.province.name),
                branch_unit_today(c.branch.commune, successors),
            ]

    return xlsx_response(
        filename=f"tuyen-duong-{campaign.year}.xlsx",
        sheet_title=_("Commendations %(year)s") % {"year": campaign.year},
        # Whose list it is, and by which decision: Trà Vinh's 2020 list read in Vĩnh Long today is Trà Vinh's.
        title=_("List of commendations %(year)s of %(province)s (decision %(number)s of %(date)s)")
        % {
            "year": campaign.year,
            "province": campaign.province.name,
            "number": campaign.decision_number,
            "date": date_format(campaign.decision_date, "SHORT_DATE_FORMAT"),
        },
        scope=campaign.province.name,
        headers=headers,
        rows=rows(),
    )


# ---------------------------------------------------------------------------------------------------
# One commendation


class CommendationDetailView(ScopedObjectMixin, DetailView):
    model = Commendation
    template_name = "awards/commendation_detail.html"
    context_object_name = "commendation"

    def get_queryset(self):
        return _commendations(self.request.user).select_related("campaign__decided_by")

    def get_context_data(self, **kwargs):
        commendation = self.object
        user = self.request.user
        selectors.communes_on_decision([commendation], campaign=commendation.campaign)
        # The person's own page holds personal data: linked only for users whose scope holds the person.
        person_visible = Person.objects.visible_to(user).filter(pk=commendation.person_id).exists()
        return super().get_context_data(
            campaign=commendation.campaign,
            person_visible=person_visible,
            can_revoke=user.runs_commendations and not commendation.is_revoked,
            history=history_rows(commendation.history, limit=20),
            **kwargs,
        )


@portal_view
def commendation_portrait(request, pk):
    """The commended person's portrait thumbnail, for the published list: served to whoever may see the
    commendation (the whole province), never the full portrait, never from /media/."""
    commendation = get_object_or_404(
        Commendation.objects.visible_to(request.user).select_related("person"), pk=pk
    )

    return protected_image_response(commendation.person.portrait_thumbnail)


@portal_view
def commendation_certificate(request, pk):
    """The certificate as a PDF, opened in the browser. A revoked commendation has no certificate any more:
    a link kept from before the revocation gets a page saying so (410 Gone) rather than a bare 404."""
    commendation = object_or_404(_commendations(request.user), pk=pk)
    if commendation.is_revoked:
        return render(
            request,
            "awards/commendation_certificate_revoked.html",
            {"commendation": commendation},
            status=410,
        )
    response = HttpResponse(certificate_pdf(commendation), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename(commendation))
    # Not kept by the browser: once revoked, the certificate must not open again from a cache.
    response["Cache-Control"] = "private, no-store"
    return response


@portal_view
def commendation_revoke(request, pk):
    """The revocation form (GET) and the revocation (POST). Outside the province → 404; a district officer
    inside it → 403."""
    commendation = object_or_404(_commendations(request.user), pk=pk)
    if not request.user.runs_commendations:
        raise PermissionDenied
    selectors.communes_on_decision([commendation], campaign=commendation.campaign)
    if commendation.is_revoked and not request.POST.get(VERSION_FIELD):
        # A form loaded before someone else revoked it goes on to the service, which refuses it saying who
        # revoked it and when, with what was typed kept.
        messages.error(
            request,
            _("This commendation was already revoked on %(date)s.")
            % {"date": date_format(commendation.revoked_on, "SHORT_DATE_FORMAT")},
        )
        return redirect(commendation)
    form = CommendationRevokeForm(
        request.POST if request.method == "POST" else None,
        cancel_url=commendation.get_absolute_url(),
        version_of=commendation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commendation_revoke(
                commendation=commendation,
                revoked_on=form.cleaned_data["revoked_on"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                version=form.loaded(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("The commendation of %(name)s (%(year)s) was revoked. The record stays, marked revoked.")
                % {"name": commendation.person.full_name, "year": commendation.year},
            )
            return redirect(commendation)
    return render(
        request,
        "awards/commendation_revoke.html",
        {"commendation": commendation, "campaign": commendation.campaign, "form": form},
    )


# ---------------------------------------------------------------------------------------------------
# Statistics


def _share(part: int, total: int) -> float | None:
    return part * 100 / total if total else None


@portal_view
def statistics(request):
    """Commendations per year and per district of the user's province (every province for an
    administrator), and who the commended are. Revoked commendations are counted apart."""
    user = request.user
    per_year = selectors.commendations_per_year(user=user)
    form = StatisticsYearForm(request.GET or None, years=list(per_year))
    year = form.chosen_year
    units = units_mode(request.GET)
    data = selectors.statistics(user=user, year=year, units=units)
    people = data["people"]
    total = people["total"]
    # Ethnicity and party membership: shares of the reader's own people (selectors.statistics).
    shares = [
        {"key": key, "label": label, "count": people[key], "share": _share(people[key], people[of])}
        for key, label, of in (
            ("women", _("Women"), "total"),
            ("khmer", _("Khmer"), "personal_total"),
            ("other_minorities", _("Other ethnic minorities"), "personal_total"),
            ("party_members", _("Party members"), "personal_total"),
        )
    ]
    chart = per_year_chart(per_year)
    return render(
        request,
        "awards/statistics.html",
        {
            "form": form,
            "year": year,
            "data": data,
            "total": total,
            "shares": shares,
            "chart": chart,
            "column_totals": [data["per_year"][y] for y in data["years"]],
            # An officer's figures are their province's (and the provinces merged into it): said by name,
            # under the report's unit, which is the officer's own.
            "counted_provinces": ", ".join(
                g["province"].name for g in data["provinces"] if g["province"] is not None
            )
            if data["personal_scope"]
            else "",
            "units_switch": units_switch(request, units),
        },
    )
