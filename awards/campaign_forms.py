"""Forms of the campaign pages: the campaign with its per-district quotas on one page, the choice of province
for the administrator, the decision to publish, and the review page's filter and bulk decision."""

import django_filters
from crispy_forms.bootstrap import FormActions, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.forms import form_actions
from branches.models import Commune, District, Province
from core.filters import SortFilter
from core.forms import CancelLink
from core.text import search_terms
from core.versioning import VERSION_FIELD, VersionedForm
from core.widgets import AutocompleteSelect, DateInput, Textarea

from .models import COMMUNE, Campaign, Nomination, nominating_level
from .services import (
    deadline_problem,
    decision_date_problem,
    earliest_decision_date,
    opens_problem,
    quota_field,
)

#: the first year a campaign may be for (the records the portal holds begin in 2019)
FIRST_YEAR = 2000
#: how many years ahead a campaign may be set up
LATER_YEARS = 2
#: the most a unit may nominate in one campaign, as typed on the form: more is a slip of the keyboard
MAX_QUOTA = 999


def default_title(year) -> str:
    """The title a new campaign is offered, in the words of the campaigns before it ("Tuyên dương Bí thư Chi
    đoàn tiêu biểu năm 2027"): in Vietnamese whatever the page's language, as the certificates are."""
    with translation.override("vi"):
        return _("Commendation of outstanding branch secretaries of %(year)s") % {"year": year}


def first_free_year(province) -> int:
    """The year a new campaign is offered: the first from this one on that the province has no campaign for
    (a campaign's year is one of its own, and one ahead may be set up: LATER_YEARS)."""
    this_year = timezone.localdate().year
    taken = set(
        Campaign.objects.filter(province=province, year__gte=this_year).values_list("year", flat=True)
    )
    return next((y for y in range(this_year, this_year + LATER_YEARS + 1) if y not in taken), this_year)


def _label(model, name: str) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


class CampaignForm(VersionedForm, forms.ModelForm):
    """The campaign and, on the same page, one quota field per district of its province (empty = the
    default quota). The province is fixed before the form is built: the user's own for provincial staff,
    the one the administrator chose, the campaign's own when editing."""

    class Meta:
        model = Campaign
        fields = ["year", "title", "opens_on", "closes_on", "default_quota", "minimum_rating", "criteria"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "criteria": Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, province: Province, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        self.instance.province = province
        self.fields["year"].widget.attrs.update(
            {"min": FIRST_YEAR, "max": timezone.localdate().year + LATER_YEARS}
        )
        if not self.instance.pk:
            # The offered title follows the year while it is left as offered: here in the browser
            # (portal.js, data-follows-year), in clean() on the server.
            self.fields["title"].widget.attrs["data-follows-year"] = default_title("{year}")
        # As a unit's own quota (quota_field): a number a province gives, not a typing slip.
        self.fields["default_quota"].max_value = MAX_QUOTA
        self.fields["default_quota"].validators.append(MaxValueValidator(MAX_QUOTA))
        self.fields["default_quota"].widget.attrs["max"] = MAX_QUOTA
        self.fields["minimum_rating"].choices = [
            ("", _("— No minimum —")),
            *self.fields["minimum_rating"].choices[1:],
        ]
        self.by_commune = nominating_level(province) == COMMUNE
        self.fields["default_quota"].label = (
            _("Quota per commune") if self.by_commune else _("Quota per district")
        )
        self.fields["default_quota"].help_text = (
            _(
                "How many secretaries each commune may nominate; a commune's own quota is set on the "
                "campaign's quota page."
            )
            if self.by_commune
            else _("How many secretaries each district may nominate.")
        )
        self.districts = []
        if not self.by_commune:
            # A province of the 2025 world has 100 or more communes: their quotas have their own page
            # (CampaignQuotaView), not one field each here.
            overrides = (
                dict(self.instance.quotas.values_list("district", "quota")) if self.instance.pk else {}
            )
            # Current districts, and a ceased one only while it still holds an override (so it can be
            # cleared).
            self.districts = [
                d
                for d in District.objects.filter(province=province).order_by("code")
                if d.is_current or d.pk in overrides
            ]
        default = self.instance.default_quota
        for district in self.districts:
            self.fields[self.quota_field(district)] = forms.IntegerField(
                label=district.name,
                required=False,
                min_value=0,
                max_value=MAX_QUOTA,
                initial=overrides.get(district.pk),
                widget=forms.NumberInput(attrs={"placeholder": default, "class": "text-end"}),
            )
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            VERSION_FIELD,
            Fieldset(
                "",
                Row(Column("year", css_class="col-sm-3"), Column("title", css_class="col-sm-9")),
                Row(
                    Column("opens_on", css_class="col-6 col-sm-4"),
                    Column("closes_on", css_class="col-6 col-sm-4"),
                ),
                Row(
                    Column("default_quota", css_class="col-sm-4"),
                    Column("minimum_rating", css_class="col-sm-8"),
                ),
                "criteria",
            ),
            *self.district_quota_layout(),
            form_actions(cancel_url),
        )

    def district_quota_layout(self) -> list:
        if self.by_commune:
            return []
        return [
            Fieldset(
                _("Quota per district"),
                HTML(
                    format_html(
                        '<p class="small text-muted">{}</p>',
                        _("Leave a district empty to give it the default quota."),
                    )
                ),
                Row(
                    *(
                        Column(self.quota_field(d), css_class="col-6 col-sm-4 col-lg-3")
                        for d in self.districts
                    ),
                    css_class="g-2",
                ),
                css_id="district-quotas",
            ),
        ]

    @staticmethod
    def quota_field(district: District) -> str:
        return quota_field(district)

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Nominations cannot close before they open."))
        else:
            # The service's rule beside the day: a campaign that takes nominations closes today or later.
            problem = deadline_problem(
                status=self.instance.status,
                closes_on=closes,
                # The stored day (none for a new campaign): the instance takes the typed one after clean().
                before=self.instance.closes_on,
            )
            if problem:
                self.add_error("closes_on", problem)
        # The instance is still the stored campaign (it takes the typed days after clean()).
        problem = opens_problem(self.instance, opens)
        if problem:
            self.add_error("opens_on", problem)
        year = cleaned.get("year")
        offered = self.initial.get("year")
        if (
            not self.instance.pk
            and year
            and offered
            and year != offered
            and cleaned.get("title") == default_title(offered)
        ):
            cleaned["title"] = default_title(year)
        latest = timezone.localdate().year + LATER_YEARS
        if year and not FIRST_YEAR <= year <= latest:
            self.add_error(
                "year",
                _("A campaign's year is from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": latest},
            )
            year = None
        # The year's secretaries are nominated in that year or early the next, never years away.
        if year and opens and opens.year not in (year, year + 1):
            self.add_error(
                "opens_on",
                _("Nominations for %(year)s open in %(year)s or in %(next)s.")
                % {"year": year, "next": year + 1},
            )
        if year:
            clash = Campaign.objects.filter(province=self.province, year=year).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "year",
                    _("%(province)s already has a campaign for %(year)s.")
                    % {"province": self.province.name, "year": year},
                )
        return cleaned

    def quotas(self) -> dict:
        """{district: quota or None} for services.campaign_save."""
        return {d: self.cleaned_data.get(self.quota_field(d)) for d in self.districts}


class ProvinceChoiceForm(forms.Form):
    """The administrator's first step on a new campaign: which province runs it (the district quotas on the
    campaign form are that province's)."""

    province = forms.ModelChoiceField(label=gettext_lazy("Province"), queryset=Province.objects.none())

    def __init__(self, *args, user, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.visible_to(user).order_by("name_key")
        self.fields["province"].empty_label = _("— Choose —")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        # A nameless button: the address of the next step carries the province only.
        self.helper.layout = Layout(
            "province",
            FormActions(
                StrictButton(_("Continue"), type="submit", css_class="btn btn-primary"),
                CancelLink(cancel_url),
            ),
        )


class DecisionFields(forms.Form):
    """The decision's number, date and signer, with the date's rule (after nominations closed, not in the
    future: services.decision_date_problem) checked next to the field."""

    decision_number = forms.CharField(
        label=_label(Campaign, "decision_number"),
        max_length=Campaign._meta.get_field("decision_number").max_length,
        help_text=gettext_lazy("As written on the decision, e.g. 125-QĐ/TĐTN."),
    )
    decision_date = forms.DateField(
        label=_label(Campaign, "decision_date"),
        widget=DateInput(),
    )
    decision_signer = forms.CharField(
        label=_label(Campaign, "decision_signer"),
        max_length=Campaign._meta.get_field("decision_signer").max_length,
        required=False,
        help_text=Campaign._meta.get_field("decision_signer").help_text,
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        self.campaign = campaign
        super().__init__(*args, **kwargs)
        # The rule with its day: a campaign closed early may be decided before its deadline. Not while that
        # day is still ahead ("From 29/12 to today" on 07/12): the page says it cannot be published yet.
        self.earliest = earliest = earliest_decision_date(campaign)
        if earliest <= timezone.localdate():
            self.fields["decision_date"].help_text = _("From %(date)s to today; dd/mm/yyyy.") % {
                "date": date_format(earliest, "SHORT_DATE_FORMAT")
            }

    def clean_decision_number(self) -> str:
        return self.cleaned_data["decision_number"].strip()

    def clean_decision_date(self):
        day = self.cleaned_data["decision_date"]
        problem = decision_date_problem(self.campaign, day)
        if problem:
            raise forms.ValidationError(problem[0], code=problem[1])
        return day

    def add_service_errors(self, error) -> None:
        """A service's refusal next to the field it names, or above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            for message in error.messages:
                self.add_error(None, message)


class PublishForm(DecisionFields):
    """Step one of publishing: the decision, checked; the next page shows what will be published and asks
    for the confirmation (`confirm`), whose form carries the same values hidden."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaign: Campaign, cancel_url: str, **kwargs):
        super().__init__(*args, campaign=campaign, **kwargs)
        # Today, the usual day of a decision recorded as it is signed; not while the rule refuses it (the
        # window not closed yet): left empty rather than filled with a date the form would refuse.
        today = timezone.localdate()
        if self.earliest <= today:
            self.initial.setdefault("decision_date", today)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Row(
                Column("decision_number", css_class="col-sm-6"),
                Column("decision_date", css_class="col-sm-6"),
            ),
            "decision_signer",
            FormActions(
                StrictButton(
                    _("Check and continue"), type="submit", name="check", css_class="btn btn-primary"
                ),
                CancelLink(cancel_url),
            ),
        )

    @property
    def confirmed(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("confirm"))


class DecisionCorrectionForm(VersionedForm, DecisionFields):
    """A correction (đính chính) of the published decision: the decision as it should read, and why."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=2000,
        widget=Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: the date was typed wrongly. It is kept with the correction."),
    )

    def __init__(self, *args, campaign: Campaign, cancel_url: str, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "decision_number": campaign.decision_number,
                "decision_date": campaign.decision_date,
                "decision_signer": campaign.decision_signer,
            },
        )
        super().__init__(*args, campaign=campaign, version_of=campaign, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            VERSION_FIELD,
            Row(
                Column("decision_number", css_class="col-sm-6"),
                Column("decision_date", css_class="col-sm-6"),
            ),
            "decision_signer",
            "reason",
            FormActions(
                StrictButton(
                    _("Record the correction and reissue the certificates"),
                    type="submit",
                    name="submit",
                    css_class="btn btn-danger",
                ),
                CancelLink(cancel_url),
            ),
        )


class ReviewFilter(django_filters.FilterSet):
    """The review page's filter: a secretary's name, one nominating unit (district or commune) of the
    campaign's province, one status; its headers sort it (`?o=`). Without a status the page shows what the
    units have sent (drafts are still the units' own work)."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        method="filter_search",
        help_text=gettext_lazy("Name of the secretary"),
    )
    district = django_filters.ModelChoiceFilter(
        label=gettext_lazy("District"), queryset=District.objects.none(), empty_label=gettext_lazy("All")
    )
    commune = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Commune"), queryset=Commune.objects.none(), empty_label=gettext_lazy("All")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Nomination.Status.choices,
        method="filter_status",
        empty_label=gettext_lazy("All sent to the province"),
    )
    o = SortFilter(
        fields=[
            ("person__sort_key", "name"),
            ("district__name_key", "district"),
            ("commune__name_key", "commune"),
            # The year's assessment (selectors.with_year_assessment); those not assessed last either way.
            ("score", "score"),
        ]
    )

    class Meta:
        model = Nomination
        fields = []

    def __init__(self, *args, campaign: Campaign, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # One of the unit filters: the campaign's nominating units (campaign.level).
        other = "district" if campaign.by_commune else "commune"
        del self.filters[other]
        model = Commune if campaign.by_commune else District
        # In the alphabet's order, not the statistics office's codes: districts are found by name.
        self.filters[campaign.level].queryset = (
            model.objects.visible_to(request.user).filter(province=campaign.province_id).order_by("name_key")
        )
        if campaign.by_commune:
            # A merged province's 124 communes: typed, as every list's commune is, among the province's own.
            self.filters["commune"].extra["widget"] = AutocompleteSelect(
                "branches:commune_autocomplete", params={"province": campaign.province_id}
            )

    @property
    def qs(self):
        qs = super().qs
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("status")):
            qs = qs.exclude(status=Nomination.Status.DRAFT)
        return qs

    def filter_search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(person__name_key__contains=term)
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)


class IdListField(forms.Field):
    """The ids of the ticked rows; which of them the user may decide on is the view's business (it loads
    them through the campaign's scoped nominations)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        try:
            return list(dict.fromkeys(int(v) for v in values))
        except (TypeError, ValueError):
            raise forms.ValidationError(_("The ticked rows are not valid."), code="invalid") from None


# The review table's boxes, outside the bulk form and joined to it by form="bulk-review".
TICKED_NOMINATIONS = "input[type=checkbox][name=nomination]"


class BulkReviewForm(forms.Form):
    """Approve or reject the ticked nominations at once (one reason for all when rejecting)."""

    APPROVE, REJECT = "approve", "reject"

    nomination = IdListField()
    action = forms.ChoiceField(choices=[(APPROVE, APPROVE), (REJECT, REJECT)])
    reason = forms.CharField(
        label=_label(Nomination, "rejection_reason"),
        required=False,
        max_length=2000,
        widget=Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Required to reject; the same reason is kept on each ticked nomination. Only nominations still "
            "waiting are decided: those already decided keep their decision."
        ),
    )

    def __init__(self, *args, action_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].error_messages["required"] = _("Tick the nominations to decide first.")
        self.helper = FormHelper()
        self.helper.form_id = "bulk-review"
        self.helper.form_action = action_url
        # The ticked boxes sit in the table's rows and join this form through their form="bulk-review".
        self.helper.layout = Layout(
            "reason",
            FormActions(
                StrictButton(
                    format_html(
                        '<i class="bi bi-check2-all" aria-hidden="true"></i> {}',
                        _("Approve the ticked nominations"),
                    ),
                    type="submit",
                    name="action",
                    value=self.APPROVE,
                    css_class="btn btn-success",
                    # Asked in the browser (static/js/portal.js), with how many are ticked; nothing ticked,
                    # nothing asked: the page says so. Undone only one by one, each with a reason.
                    data_confirm_ticked=TICKED_NOMINATIONS,
                    data_confirm=_("Approve the {count} ticked nominations?"),
                ),
                StrictButton(
                    format_html(
                        '<i class="bi bi-x-lg" aria-hidden="true"></i> {}', _("Reject the ticked nominations")
                    ),
                    type="submit",
                    name="action",
                    value=self.REJECT,
                    css_class="btn btn-outline-danger",
                    # Not asked while the reason is empty: the form comes back asking for it.
                    data_confirm_complete="textarea[name=reason]",
                    data_confirm_ticked=TICKED_NOMINATIONS,
                    data_confirm=_("Reject the {count} ticked nominations, with this reason?"),
                ),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("A reason is required to reject a nomination."))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["action"] == self.APPROVE


class QuotaPageForm(VersionedForm):
    """The quotas of one page of a campaign's nominating units (a search, a page of 25 communes): one field
    each, empty for the default. Carries the campaign's version: a page loaded before another save (of the
    campaign or another page) is refused as stale instead of undoing it."""

    def __init__(self, *args, units: list, campaign: Campaign, **kwargs):
        super().__init__(*args, version_of=campaign, **kwargs)
        self.units = units
        overrides = dict(
            campaign.quotas.filter(**{f"{campaign.level}__in": [u.pk for u in units]}).values_list(
                campaign.level, "quota"
            )
        )
        for unit in units:
            self.fields[self.field_name(unit)] = forms.IntegerField(
                label=unit.name,
                required=False,
                min_value=0,
                max_value=MAX_QUOTA,
                initial=overrides.get(unit.pk),
                widget=forms.NumberInput(
                    attrs={"placeholder": campaign.default_quota, "class": "text-end quota-input"}
                ),
            )
        for unit in units:
            unit.field = self[self.field_name(unit)]

    @staticmethod
    def field_name(unit) -> str:
        return quota_field(unit)

    def quotas(self) -> dict:
        """{unit: quota or None} for services.campaign_quotas_save."""
        return {u: self.cleaned_data.get(self.field_name(u)) for u in self.units}
