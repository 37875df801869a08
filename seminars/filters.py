import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.filters import _communes, _districts, districts_of_the_past
from core.filters import SortFilter
from core.widgets import AutocompleteSelect

from .models import Initiative, Programme, Seminar, year_bounds


def _programmes(request):
    return Programme.objects.visible_to(request.user)


class SeminarFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Title or organiser, with or without diacritics"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=_districts,
        widget=AutocompleteSelect("branches:district_autocomplete"),
    )
    # Since 07/2025 communes organise seminars: the province's staff narrow to one.
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=_communes,
        widget=AutocompleteSelect("branches:commune_autocomplete"),
    )
    year = django_filters.ChoiceFilter(label=_("Year"), method="filter_year", empty_label=_("All"))
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=_programmes, empty_label=_("All")
    )
    level = django_filters.ChoiceFilter(
        label=_("Organised by"),
        choices=[("commune", _("A commune")), ("district", _("A district")), ("province", _("The province"))],
        method="filter_level",
        empty_label=_("All"),
    )
    o = SortFilter(
        fields=[
            ("held_on", "date"),
            ("title_key", "title"),
            ("district__name_key", "organiser"),
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
        if user.is_district_officer or user.is_commune_officer:
            # Their own unit's seminars (and those its secretaries attended): nothing to narrow by unit.
            del self.filters["district"]
            del self.filters["commune"]
        if user.is_district_officer:
            del self.filters["level"]
        districts_of_the_past(self, user)
        years = Seminar.objects.visible_to(user).dates("held_on", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(d.year), str(d.year)) for d in years]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_year(self, queryset, name, value):
        first, last = year_bounds(int(value))
        return queryset.filter(held_on__gte=first, held_on__lte=last)

    def filter_level(self, queryset, name, value):
        if value == "province":
            return queryset.filter(district__isnull=True, commune__isnull=True)
        return queryset.filter(**{f"{value}__isnull": False})


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=_districts,
        widget=AutocompleteSelect("branches:district_autocomplete"),
    )
    year = django_filters.NumberFilter(label=_("Applied in year"), method="filter_year")

    class Meta:
        model = Initiative
        fields = []

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request.user.is_district_officer or request.user.is_commune_officer:
            del self.filters["district"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(Q(to_year__isnull=True) | Q(to_year__gte=value), from_year__lte=value)


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Name or organiser, with or without diacritics"),
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=_districts,
        widget=AutocompleteSelect("branches:district_autocomplete"),
    )
    year = django_filters.NumberFilter(label=_("Running in year"), method="filter_year")
    o = SortFilter(
        fields=[
            ("title_key", "name"),
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
        if request.user.is_district_officer or request.user.is_commune_officer:
            del self.filters["district"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(Q(to_year__isnull=True) | Q(to_year__gte=value), from_year__lte=value)
