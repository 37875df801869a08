import datetime

import django_filters
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.filters import COMMUNES_OF_BRANCHES, BranchFilter, _communes_of_branches, _districts
from branches.models import Branch
from branches.selectors import shows_districts
from core.filters import SortFilter
from core.widgets import AutocompleteSelect

from .choices import ETHNICITIES, AgeBand, EducationLevel, Gender
from .models import Correction, Person, Term
from .selectors import serving_here

YES_NO = [("1", _("Yes")), ("0", _("No"))]


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name, phone, or the branch or commune they lead, with or without diacritics"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=_districts,
        widget=AutocompleteSelect("branches:district_autocomplete"),
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=_communes_of_branches,
        method="filter_commune",
        widget=AutocompleteSelect(
            "branches:commune_autocomplete", forward=("district",), params=COMMUNES_OF_BRANCHES
        ),
    )
    branch_kind = django_filters.ChoiceFilter(
        label=_("Branch kind"), choices=Branch.Kind.choices, method="filter_branch_kind", empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Serving"),
        choices=[("current", _("Currently serving")), ("past", _("No longer serving"))],
        method="filter_status",
        empty_label=_("All"),
    )
    role = django_filters.ChoiceFilter(
        label=_("Current role"), choices=Term.Role.choices, method="filter_role", empty_label=_("All")
    )
    ending = django_filters.ChoiceFilter(
        label=_("Term ending"),
        choices=[("soon", _("Within 60 days")), ("overdue", _("Overdue"))],
        method="filter_ending",
        empty_label=_("All"),
    )
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices, empty_label=_("All"))
    ethnicity = django_filters.ChoiceFilter(label=_("Ethnicity"), choices=ETHNICITIES, empty_label=_("All"))
    is_party_member = django_filters.ChoiceFilter(
        label=_("Party member"), choices=YES_NO, method="filter_party", empty_label=_("All")
    )
    age = django_filters.ChoiceFilter(
        label=_("Age"), choices=AgeBand.choices, method="filter_age", empty_label=_("All")
    )
    education_level = django_filters.ChoiceFilter(
        label=_("Education level"), choices=EducationLevel.choices, empty_label=_("All")
    )
    o = SortFilter(
        fields=[
            ("sort_key", "name"),
            ("date_of_birth", "born"),
            ("district__name_key", "district"),
            ("updated_at", "updated"),
        ],
    )

    class Meta:
        model = Person
        fields = []

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        if user.is_commune_officer:
            # One commune: nothing to narrow by unit.
            del self.filters["district"]
            del self.filters["commune"]
        elif not shows_districts(user):
            # A district officer has one district; today's units have none (the list has no such column).
            del self.filters["district"]
            self.filters["commune"].extra["widget"] = AutocompleteSelect(
                "branches:commune_autocomplete", params=COMMUNES_OF_BRANCHES
            )

    def _current_terms(self, **conditions):
        # The terms held in the user's scope (selectors.serving_here, as the list's rows say them).
        terms = serving_here(self.request.user)
        return terms.filter(person=OuterRef("pk"), **conditions)

    def _with_current_term(self, queryset, **conditions):
        return queryset.filter(Exists(self._current_terms(**conditions)))

    def filter_search(self, queryset, name, value):
        return queryset.search(value, branches=Branch.objects.visible_to(self.request.user))

    def filter_commune(self, queryset, name, value):
        # A commune that has ended: the people serving in the branches it had (BranchQuerySet.of_unit). And,
        # as the commune's own list has them, its former secretaries: of those serving nowhere here now,
        # those who served in its branches (so "the commune" and "no longer serving" find them).
        branches = Branch.objects.of_unit(value).values("pk")
        served_there = Term.objects.visible_to(self.request.user).filter(
            person=OuterRef("pk"), branch__in=branches
        )
        return queryset.filter(
            Exists(self._current_terms(branch__in=branches))
            | (~Exists(self._current_terms()) & Exists(served_there))
        )

    def filter_branch_kind(self, queryset, name, value):
        return self._with_current_term(queryset, branch__kind=value)

    def filter_role(self, queryset, name, value):
        return self._with_current_term(queryset, role=value)

    def filter_status(self, queryset, name, value):
        current = Exists(self._current_terms())
        return queryset.filter(current) if value == "current" else queryset.exclude(current)

    def filter_ending(self, queryset, name, value):
        today = timezone.localdate()
        if value == "soon":
            window = {
                "expected_end_on__gte": today,
                "expected_end_on__lte": today + datetime.timedelta(days=60),
            }
        else:
            window = {"expected_end_on__lt": today}
        # Read as a calendar: the term that ends first on top (a column header's sort, applied after, wins).
        first_end = self._current_terms(**window).order_by("expected_end_on").values("expected_end_on")[:1]
        return (
            self._with_current_term(queryset, **window)
            .annotate(term_ends=Subquery(first_end))
            .order_by("term_ends", "sort_key", "pk")
        )

    def filter_party(self, queryset, name, value):
        return queryset.filter(is_party_member=value == "1")

    def filter_age(self, queryset, name, value):
        # Age a on today ⇔ born in (today − (a+1) years, today − a years].
        bands = {
            AgeBand.UNDER_25: {"date_of_birth__gt": _years_ago(25)},
            AgeBand.FROM_25_TO_30: {
                "date_of_birth__lte": _years_ago(25),
                "date_of_birth__gt": _years_ago(31),
            },
            AgeBand.FROM_31_TO_35: {
                "date_of_birth__lte": _years_ago(31),
                "date_of_birth__gt": _years_ago(36),
            },
            AgeBand.OVER_35: {"date_of_birth__lte": _years_ago(36)},
        }
        return queryset.filter(**bands[value])


class VacancyFilter(BranchFilter):
    """The branch filters, less the status one: a vacancy is an active branch by definition. In its place,
    the branches still under a commune that ended (waiting for their new one): what the vacancy table's row
    of an ended unit counts, and its link narrows the list to (person_views.draw_vacancy_rows)."""

    waiting = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("1", _("Waiting for its new commune"))],
        method="filter_waiting",
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["is_active"]
        user = getattr(self.request, "user", None)
        if user is not None and user.is_commune_officer and user.unit_ended_on is None:
            # A commune's branches are under that commune: waiting ones only once it has ended.
            del self.filters["waiting"]

    def filter_waiting(self, queryset, name, value):
        # Under an ended commune today, as the table's row of an ended unit counts them (its branches of
        # today): not BranchQuerySet.of_unit's branches it had, re-attached since.
        return queryset.filter(commune__ended_on__isnull=False)


class CorrectionOrder(django_filters.FilterSet):
    """The order of the officers' list of corrections, set by its headers (`?o=`); without one, the requests
    waiting oldest first, as a work list is read, and those decided newest first (account_views)."""

    o = SortFilter(fields=[("person__sort_key", "name"), ("created_at", "proposed")])

    class Meta:
        model = Correction
        fields = []
