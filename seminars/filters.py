import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.filters import _communes, _districts, districts_of_the_past
from core.filters import SortFilter
from core.widgets import AutocompleteSelect

from .models import Initiative, Programme, Seminar, year_bounds


def _programmes(request):
    return Programme.objects.visible_to(request.user)


def _organiser_district():
    return django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=_districts,
        widget=AutocompleteSelect("branches:district_autocomplete"),
    )


def _organiser_commune():
    # Since 07/2025 communes organise: the province's staff narrow to one.
    return django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=_communes,
        widget=AutocompleteSelect("branches:commune_autocomplete"),
    )


def _organiser_level():
    return django_filters.ChoiceFilter(
        label=_("Organised by"),
        choices=[("commune", _("A commune")), ("district", _("A district")), ("province", _("The province"))],
        method="filter_level",
        empty_label=_("All"),
    )


class OrganisedFilterMixin:
    """What the lists of records organised by a unit (models/solutions, programmes) share with the seminar
    list: the organising unit (a district for the past, a commune today, offered from the user's scope only),
    its level, and the search."""

    def narrow_to_scope(self, user) -> None:
        if user.is_district_officer or user.is_commune_officer:
            # Their own unit's records (and those its branches apply or attended): nothing to narrow by unit.
            del self.filters["district"]
            del self.filters["commune"]
        if user.is_district_officer:
            if getattr(self.queryset, "province_wide", False):
                # Its district's own and its province's (ProgrammeQuerySet.province_wide): never a commune's.
                choices = self.filters["level"].extra["choices"]
                self.filters["level"].extra["choices"] = [c for c in choices if c[0] != "commune"]
            else:
                del self.filters["level"]
        districts_of_the_past(self, user)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_level(self, queryset, name, value):
        if value == "province":
            return queryset.filter(district__isnull=True, commune__isnull=True)
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_year(self, queryset, name, value):
        # Running in that year: begun by then, and not ended before it.
        return queryset.filter(Q(to_year__isnull=True) | Q(to_year__gte=value), from_year__lte=value)


class SeminarFilter(OrganisedFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Title or organiser, with or without diacritics"),
    )
    district = _organiser_district()
    commune = _organiser_commune()
    year = django_filters.ChoiceFilter(label=_("Year"), method="filter_year", empty_label=_("All"))
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=_programmes, empty_label=_("All")
    )
    level = _organiser_level()
    o = SortFilter(
        fields=[
            ("held_on", "date"),
            ("title_key", "title"),
            ("organiser_key", "organiser"),
            ("attendance", "participants"),
            ("open_proposal_count", "open"),
        ],
    )

    class Meta:
        model = Seminar
        fields = []

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        # Their own unit's seminars (and those its secretaries attended) for the officers.
        self.narrow_to_scope(user)
        years = Seminar.objects.visible_to(user).dates("held_on", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(d.year), str(d.year)) for d in years]

    def filter_year(self, queryset, name, value):
        first, last = year_bounds(int(value))
        return queryset.filter(held_on__gte=first, held_on__lte=last)


class InitiativeFilter(OrganisedFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("The model's name or its organiser, with or without diacritics"),
    )
    district = _organiser_district()
    commune = _organiser_commune()
    year = django_filters.NumberFilter(label=_("Applied in year"), method="filter_year")
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=_programmes, empty_label=_("All")
    )
    level = _organiser_level()
    o = SortFilter(
        fields=[
            ("title_key", "name"),
            ("from_year", "period"),
            ("organiser_key", "organiser"),
        ],
    )

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.narrow_to_scope(request.user)


class ProgrammeFilter(OrganisedFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("The programme's name or its organiser, with or without diacritics"),
    )
    district = _organiser_district()
    commune = _organiser_commune()
    year = django_filters.NumberFilter(label=_("Running in year"), method="filter_year")
    level = _organiser_level()
    o = SortFilter(
        fields=[
            ("title_key", "name"),
            ("organiser_key", "organiser"),
            ("from_year", "period"),
            ("seminar_count", "seminars"),
            ("initiative_count", "models"),
        ],
    )

    class Meta:
        model = Programme
        fields = []

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.narrow_to_scope(request.user)
