import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from branches.filters import _communes, _districts, districts_of_the_past
from core.filters import ReadOnceModelChoiceFilter, SortFilter
from core.widgets import AutocompleteSelect

from .models import Assessment, Framework, Rating, current_framework


def _frameworks(request):
    frameworks = Framework.objects.visible_to(request.user).select_related("province")
    ended = request.user.unit_ended_on
    if ended is not None:
        # A unit that ended (a Huyện đoàn) assessed up to the year it ended: the later frameworks are not
        # its to choose, and would show it an empty list.
        frameworks = frameworks.filter(year__lte=ended.year)
    return frameworks


class AssessmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", help_text=_("Name of the secretary")
    )
    framework = ReadOnceModelChoiceFilter(label=_("Framework"), queryset=_frameworks, empty_label=None)
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=_districts, widget=AutocompleteSelect("branches:district_autocomplete")
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=_communes,
        widget=AutocompleteSelect("branches:commune_autocomplete", forward=("district",)),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Assessment.Status.choices, empty_label=_("All")
    )
    rating = django_filters.ChoiceFilter(
        label=_("Rating"), choices=Rating.choices, empty_label=_("All"), method="filter_rating"
    )
    o = SortFilter(
        fields=[
            ("person__sort_key", "name"),
            ("framework__year", "year"),
            ("overall_score", "score"),
            ("assessed_on", "date"),
        ],
    )

    class Meta:
        model = Assessment
        fields = []

    def __init__(self, data=None, *args, request, **kwargs):
        # Without a choice, the list shows this year's framework of the user's province: that is the work
        # at hand, and a national list of every year would sort hundreds of thousands of rows for nothing.
        if not (data or {}).get("framework"):
            current = current_framework(request.user)
            if current is not None:
                data = data.copy() if data is not None else QueryDict(mutable=True)
                data["framework"] = str(current.pk)
        super().__init__(data, *args, request=request, **kwargs)
        levels = unit_filters(request.user)
        for level in ("district", "commune"):
            if level not in levels:
                del self.filters[level]
        if request.user.is_district_officer:
            self.filters["commune"].extra["widget"] = AutocompleteSelect("branches:commune_autocomplete")
        districts_of_the_past(self, request.user)

    def filter_rating(self, queryset, name, value):
        # Only those that show the rating: a draft still waiting for scores shows none.
        return queryset.rated(value)

    def filter_search(self, queryset, name, value):
        from core.text import search_terms

        for term in search_terms(value):
            queryset = queryset.filter(person__name_key__contains=term)
        return queryset


def unit_filters(user) -> frozenset[str]:
    """The unit levels the list narrows by for `user` (the summary links its rows to those only): a
    district officer's communes; none for a commune officer, whose list is its commune's (the old
    communes its branches came from included)."""
    if user.is_commune_officer:
        return frozenset()
    if user.is_district_officer:
        return frozenset({"commune"})
    return frozenset({"district", "commune"})
