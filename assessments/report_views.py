"""The reading side of assessments: the summary of a framework year and the training needs, with its
export. Everything is read through assessments.selectors, so through the user's scope."""

from decimal import Decimal

from django import forms
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.rollup import (
    MODES,
    provinces_today_by_name,
    unit_names,
    unit_today_named,
    units_mode,
    units_switch,
)
from core.excel import ExcelExport, export_response
from core.fields import ReadOnceModelChoiceField
from core.mixins import portal_view
from core.navigation import fixed_url, pk_url
from core.templatetags.portal import ended_note, numbers

from . import selectors
from .filters import unit_filters
from .models import Assessment, Framework, Rating

QUARTERS = (1, 2, 3, 4)


def framework_label(framework: Framework) -> str:
    return f"{framework.year} — {framework.name}"


class FrameworkChoiceField(ReadOnceModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        label = framework_label(obj)
        if getattr(obj, "has_assessments", True):
            return label
        # Beside the year's framework in use, one of almost the same name that nobody in scope used.
        return _("%(framework)s — no assessments yet") % {"framework": label}


class ReportFilterForm(forms.Form):
    """?framework=<pk>, and for training needs ?threshold= and ?unit=; a missing framework means the default
    one. The frameworks offered (and accepted) are those the user may see: the common ones and their
    provinces', up to the year an ended unit ended (`Framework.objects.offered_to`). Drawn by
    templates/assessments/partials/report_filter.html."""

    framework = FrameworkChoiceField(
        label=gettext_lazy("Framework"),
        queryset=Framework.objects.none(),  # the user's: set in __init__
        required=False,
        empty_label=None,
    )
    # A quarterly framework's quarter (drawn for such a framework only): chosen_quarter.
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quarter"), choices=[(q, str(q)) for q in QUARTERS], coerce=int, required=False
    )
    # The units switch (branches.rollup) is kept when the form is sent again.
    units = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, user, default: Framework | None, with_threshold: bool = False):
        data = data.copy()
        if default is not None and not data.get("framework"):
            data["framework"] = default.pk  # so the select shows what the page reports on
        super().__init__(data)
        # In the same query: whether any assessment in the user's scope uses each (those that do first).
        used = Exists(Assessment.objects.visible_to(user).filter(framework=OuterRef("pk")))
        self.fields["framework"].queryset = (
            Framework.objects.offered_to(user)
            .annotate(has_assessments=used)
            .order_by("-year", "-has_assessments", "pk")
        )
        self.default = default
        self.with_threshold = with_threshold
        if with_threshold:
            # The choices are the units of the report, filled in by the view; any other value is ignored.
            self.fields["unit"] = forms.CharField(label=_("Unit"), required=False, widget=forms.Select)
            self.fields["threshold"] = forms.DecimalField(
                label=_("Threshold"),
                required=False,
                max_digits=5,  # 100,00: a points framework's threshold is a share of the points
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            # The framework the threshold was typed for: a 1–5 score means nothing in points out of 100 (nor
            # 50 % on 1–5), so another framework's threshold gives way to this one's default (clean).
            self.fields["threshold_for"] = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        framework = cleaned.get("framework") or self.default
        threshold = cleaned.get("threshold")
        typed_for = cleaned.get("threshold_for")
        if framework is not None and typed_for is not None and typed_for != framework.pk:
            # The framework was changed: the threshold typed for the other one is dropped, not refused.
            cleaned["threshold"] = threshold = None
        outside = framework is not None and threshold is not None
        if outside and not framework.scale_min <= threshold <= framework.scale_max:
            self.add_error(
                "threshold",
                _("The threshold must be between %(min)s and %(max)s.")
                % {"min": framework.scale_min, "max": framework.scale_max},
            )
        return cleaned

    @property
    def chosen_framework(self) -> Framework | None:
        """The framework asked for, or the default one when the question was invalid."""
        if self.is_valid():
            return self.cleaned_data["framework"] or self.default
        return getattr(self, "cleaned_data", {}).get("framework") or self.default

    def chosen_quarter(self, framework: Framework | None, *, user) -> int | None:
        """In a quarterly framework, the quarter asked for, else the latest with assessments in the user's
        scope that the reports count (selectors.latest_quarter), shown in the select: each quarter assesses
        the same secretaries again, so quarters are never added together. None for another period."""
        if framework is None or not framework.is_quarterly:
            return None
        self.is_valid()  # a mistyped threshold does not lose the quarter chosen beside it
        quarter = self.cleaned_data.get("quarter")
        if not quarter:
            quarter = selectors.latest_quarter(user=user, framework=framework, counted=True)
            self.data = self.data.copy()
            self.data["quarter"] = quarter or ""
        return quarter

    @property
    def threshold_dropped(self) -> bool:
        """A threshold was sent for another framework than the one asked (clean): the default is used."""
        return bool(self.data.get("threshold")) and self.is_valid() and self.cleaned_data["threshold"] is None

    def chosen_threshold(self, framework: Framework) -> Decimal:
        threshold = self.cleaned_data.get("threshold") if self.is_valid() else None
        return threshold if threshold is not None else default_threshold(framework)


def default_threshold(framework: Framework) -> Decimal:
    """3.0 on the usual 1–5 scale; on another scale, the lowest passing score ("fulfilled"). In points out
    of 100 the threshold is a share of each part's and criterion's points (selectors.points_limit): that of
    "fulfilled" (50 of 100: half of each part's points)."""
    if not framework.is_points and framework.scale_min <= selectors.DEFAULT_THRESHOLD <= framework.scale_max:
        return selectors.DEFAULT_THRESHOLD
    return framework.fulfilled_from


def threshold_text(framework: Framework | None, number: str) -> str:
    """The threshold (`number`, written) as the page and its export say it: a score, or in points out of
    100 a share."""
    if framework is not None and framework.is_points:
        return _("%(share)s%% of the points") % {"share": number}
    return number


@portal_view
def summary(request):
    default = selectors.default_framework(user=request.user)
    form = ReportFilterForm(request.GET, user=request.user, default=default)
    framework = form.chosen_framework
    quarter = form.chosen_quarter(framework, user=request.user)
    units = units_mode(request.GET)
    report = (
        selectors.summary(user=request.user, framework=framework, units=units, quarter=quarter)
        if framework
        else None
    )
    return render(
        request,
        "assessments/summary.html",
        {
            "form": form,
            "framework": framework,
            "report": report,
            "quarter": quarter,
            "unit_rows": (
                _draw_units(report, framework, linked=unit_filters(request.user), quarter=quarter)
                if report
                else ""
            ),
            "units_switch": units_switch(request, units),
        },
    )


def _draw_units(report, framework, *, linked: frozenset[str], quarter: int | None = None) -> str:
    """The rows of the summary's table of units, drawn here: a large province's table has a row per commune
    of today (Vĩnh Long: 124 rows of 12 cells, 41 ms of templates). Each unit's name links to its page (a
    province), or to its assessments (a unit as recorded, of a level in `linked`, those the user's list
    narrows by: assessments.filters.unit_filters; units of today have no such list), an ended unit
    says its province and end; then the counts, the averages per group and the ratings with their share."""
    assessments_url = fixed_url("assessments:assessment_list")
    directly = escape(_("Communes directly under the province"))
    figures = numbers()
    places = framework.score_places  # "77" in points out of 100, "3,27" on a scale, as every page says it
    lines = []
    for row in report.units:
        unit = row.unit
        if unit is None:
            name = directly
        else:
            if row.level == "province":
                name = f'<a href="{escape(unit.get_absolute_url())}">{escape(unit.name)}</a>'
            elif report.mode == "today" or row.level not in linked:
                name = escape(unit.name)
            else:
                url = f"{assessments_url}?framework={framework.pk}&amp;{row.level}={unit.pk}"
                if quarter:
                    url += f"&amp;quarter={int(quarter)}"
                name = f'<a href="{url}">{escape(unit.name)}</a>'
            if row.level != "province":
                name += ended_note(unit, with_province=True, waiting=report.mode == "today")
        cells = [
            f"<td>{name}</td>",
            f'<td class="text-end">{figures.grouped(row.counted)}</td>',
            f'<td class="text-end text-muted">{figures.grouped(row.drafts)}</td>',
            f'<td class="text-end fw-semibold">{figures.places(row.average, places) or "—"}</td>',
        ]
        for index, item in enumerate(row.groups):
            border = " border-start" if index == 0 else ""
            cells.append(f'<td class="text-end{border}">{figures.places(item.average, places) or "—"}</td>')
        for index, share in enumerate(row.ratings):
            border = " border-start" if index == 0 else ""
            percent = ""
            if row.counted:
                percent = f' <span class="small text-muted">({figures.places(share.percent, 1)}%)</span>'
            count = figures.grouped(share.count)
            cells.append(f'<td class="text-end text-nowrap{border}">{count}{percent}</td>')
        lines.append(f"<tr>{''.join(cells)}</tr>")
    # Safe: the units' names are escaped above; the rest is the portal's links and numbers.
    return mark_safe("\n".join(lines))


def _training_parameters(request):
    default = selectors.default_framework(user=request.user)
    form = ReportFilterForm(request.GET, user=request.user, default=default, with_threshold=True)
    framework = form.chosen_framework
    quarter = form.chosen_quarter(framework, user=request.user)
    threshold = form.chosen_threshold(framework) if framework else selectors.DEFAULT_THRESHOLD
    if framework is not None and framework.is_points:
        # The bound field, made while the form was validated, keeps the label it was made with.
        form.fields["threshold"].label = form["threshold"].label = _("Threshold (share of the points, %)")
    form.data = form.data.copy()
    if not request.GET.get("threshold") or form.threshold_dropped:
        # Show the threshold the page uses; a mistyped one stays in the field, beside its error.
        form.data["threshold"] = formats.localize_input(threshold)
    if framework is not None:
        form.data["threshold_for"] = framework.pk  # sent again with the threshold shown
    return form, framework, quarter, threshold


#: A line of the training-needs lists: drawn in Python, as up to 500 lines (selectors.PEOPLE_LISTED) of a
#: dozen template nodes each were most of the page's time (Trà Vinh's staff: 36 ms of templates).
_PERSON_ROW = (
    '<tr><td class="text-end text-muted">{number}</td>'
    '<td><a href="{person_url}">{name}</a>'
    '<div class="small text-muted d-sm-none d-print-none">{branch}, {commune}</div></td>'
    '<td class="d-none d-sm-table-cell d-print-table-cell">{branch}</td>'
    '<td class="d-none d-md-table-cell d-print-table-cell">{commune}</td>'
    "{district}"
    '<td class="text-end fw-semibold"><a href="{assessment_url}">{score}</a></td>'
    '<td class="text-end d-none d-sm-table-cell d-print-table-cell">{overall}</td></tr>'
)
_DISTRICT_CELL = '<td class="d-none d-lg-table-cell d-print-table-cell">{}</td>'


def _draw_people(needs, *, show_district: bool, places: int = 2) -> None:
    """Each unit's lines of the people lists as markup (`section.rows`): the number, the name linked to the
    person, branch, commune, the district (not for a district officer: it is their own), the group score
    linked to the assessment, the overall score. Every text is escaped; the scores are written with the
    language's decimal separator and the framework's `places` (Framework.score_places: two on a scale,
    none in points out of 100, as every other page writes them)."""
    person_url = pk_url("secretaries:person_detail")
    assessment_url = pk_url("assessments:assessment_detail")
    decimal = formats.get_format("DECIMAL_SEPARATOR")

    figures = numbers()

    def number(value) -> str:
        if value is None:
            return "—"
        if places != 2:
            return figures.places(value, places)
        # Stored with two places, read as such: `places` would round them again (6 ms for 500 lines).
        return str(value).replace(".", decimal)

    def district(line) -> str:
        return _DISTRICT_CELL.format(escape(line.district_name or "—")) if show_district else ""

    for need in needs.groups:
        for section in need.units:
            lines = []
            for index, line in enumerate(section.people, 1):
                lines.append(
                    _PERSON_ROW.format(
                        number=index,
                        person_url=person_url(line.person_id),
                        name=escape(line.full_name),
                        branch=escape(line.branch_name),
                        commune=escape(line.commune_name),
                        district=district(line),
                        assessment_url=assessment_url(line.assessment_id),
                        score=number(line.score),
                        overall=number(line.overall_score),
                    )
                )
            # Safe: every text in the lines was escaped above; the links and numbers are the portal's.
            section.rows = mark_safe("\n".join(lines))


def _draw_per_unit(needs, *, framework, threshold, mode: str, quarter: int | None = None) -> SafeString:
    """The rows of the table of units with people below the threshold (`needs.per_unit`), drawn here: a
    merged province has a row per commune (Vĩnh Long: 117 rows). Each unit links to the page narrowed to it
    (same framework, threshold and mode), the unit chosen is marked, an ended unit says its province and end;
    then how many secretaries are below."""
    query = (
        f"?framework={int(framework.pk)}&amp;threshold={escape(str(threshold))}"
        f"&amp;threshold_for={int(framework.pk)}"
        f"{f'&amp;quarter={int(quarter)}' if quarter else ''}&amp;units={escape(mode)}&amp;unit="
    )
    chosen = needs.unit
    figures = numbers()
    lines = []
    for level, unit, count in needs.per_unit:
        marked = ' class="table-primary"' if chosen and chosen[0] == level and chosen[1] == unit else ""
        name = f'<a href="{query}{escape(level)}:{int(unit.pk)}">{escape(unit.name)}</a>'
        if level != "province":
            name += ended_note(unit, with_province=True, waiting=mode == "today")
        lines.append(
            f'<tr data-level="{escape(level)}" data-unit="{int(unit.pk)}"{marked}><td>{name}</td>'
            f'<td class="text-end">{figures.grouped(count)}</td></tr>'
        )
    # Safe: the units' names are escaped above; the rest is the page's query, dates and numbers.
    return mark_safe("\n".join(lines))


@portal_view
def training_needs(request):
    form, framework, quarter, threshold = _training_parameters(request)
    units = units_mode(request.GET)
    needs = (
        selectors.training_needs(
            user=request.user,
            framework=framework,
            threshold=threshold,
            units=units,
            unit=selectors.parse_unit(request.GET.get("unit")),
            quarter=quarter,
        )
        if framework
        else None
    )
    # An officer's own district is the whole list: no column of it; nor when no line names a district (a
    # framework of after the 2025 reform: communes answer to the province).
    lines = (line for need in (needs.groups if needs else ()) for s in need.units for line in s.people)
    show_district = not request.user.is_district_officer and any(line.district_name for line in lines)
    if needs:
        # The filter offers the units of the table below (each has someone below the threshold).
        form.fields["unit"].widget.choices = [("", _("All units in your scope")), *needs.unit_choices]
        _draw_people(needs, show_district=show_district, places=framework.score_places)
    return render(
        request,
        "assessments/training_needs.html",
        {
            "form": form,
            "framework": framework,
            "threshold": threshold,
            "quarter": quarter,
            "threshold_text": threshold_text(framework, numbers().places(threshold, 2)),
            "needs": needs,
            "per_unit_rows": (
                _draw_per_unit(needs, framework=framework, threshold=threshold, mode=units, quarter=quarter)
                if needs
                else ""
            ),
            "show_district": show_district,
            "units_switch": units_switch(request, units),
            "printed_on": timezone.localdate(),
        },
    )


def training_needs_export_file(request) -> ExcelExport:
    """The full list behind the training-needs page (same scope, framework, threshold and unit), one row per
    secretary and skill group below the threshold, with the phone to call them to training (personal data,
    read only within the user's scope, as the page is). Reads only `request.user` and `request.GET`: the
    worker runs it for a large list (core.excel.export_response)."""
    _form, framework, quarter, threshold = _training_parameters(request)
    units = units_mode(request.GET)
    unit = (
        selectors.training_needs_unit(
            user=request.user,
            framework=framework,
            threshold=threshold,
            units=units,
            unit=selectors.parse_unit(request.GET.get("unit")),
            quarter=quarter,
        )
        if framework
        else None
    )
    below = (
        selectors.training_needs_below(
            user=request.user,
            framework=framework,
            threshold=threshold,
            units=units,
            unit=(unit[0], unit[1].pk) if unit else None,
            quarter=quarter,
        )
        if framework
        else None
    )
    rows = selectors.training_needs_rows(below) if below is not None else []
    headers = [
        _("Skill group"),
        _("Full name"),
        _("Phone"),
        _("Branch"),
        _("Commune"),
        _("District"),
        _("Province"),
        _("Group score"),
        _("Overall score"),
        _("Rating"),
        _("Status"),
        _("Assessed on"),
        _("Unit when recorded"),
        _("Unit today"),
    ]
    ratings = {value: str(label) for value, label in Rating.choices}
    statuses = {value: str(label) for value, label in Assessment.Status.choices}
    successors = provinces_today_by_name()

    def out():
        for (
            group,
            name,
            phone,
            branch,
            commune,
            district,
            province,
            score,
            overall,
            rating,
            status,
            on,
            commune_today,
            province_today,
            commune_today_ended,
        ) in rows:
            yield [
                group,
                name,
                phone,
                branch,
                commune,
                district or "",
                province,
                score,
                overall,
                ratings.get(rating, ""),
                statuses.get(status, ""),
                on,
                unit_names(district or commune, province),
                # A branch still waiting for its new commune says so (in the province it is in today).
                unit_today_named(commune_today, commune_today_ended, province_today, successors),
            ]

    period = framework.period_label(quarter) if framework else ""
    # The title says the year and the threshold, the unit line the unit; the rest of what was chosen here.
    filters = [f"{_('Units')}: {MODES[units]}"]
    if framework:
        filters.insert(0, f"{_('Framework')}: {framework_label(framework)}")
    if quarter:
        filters.insert(1, f"{_('Quarter')}: {quarter}")
    title = _("Training needs %(period)s: secretaries below %(threshold)s in a skill group") % {
        "period": period,
        "threshold": threshold_text(framework, formats.localize(threshold)),
    }
    return ExcelExport(
        filename=f"nhu-cau-boi-duong-{framework.period_slug(quarter)}.xlsx"
        if framework
        else "nhu-cau-boi-duong.xlsx",
        sheet_title=_("Training needs"),
        title=title,
        scope=unit[1].name if unit else request.user.scope_label,
        headers=headers,
        rows=out(),
        source=below,
        filters_line="; ".join(filters),
    )


@portal_view
def training_needs_export(request):
    """A national list goes to the worker (a job and its page); a unit's is answered at once."""
    return export_response(request, training_needs_export_file)
