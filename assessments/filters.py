import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from branches.filters import _communes, _districts, districts_of_the_past
from core.filters import ReadOnceModelChoiceFilter, SortFilter
from core.widgets import AutocompleteSelect

from .models import Assessment, Framework, Rating, current_framework
from .selectors import latest_quarter


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
    # Of a quarterly framework only (filter_queryset): each quarter assesses the same secretaries again.
    quarter = django_filters.ChoiceFilter(
        label=_("Quarter"), choices=[(q, str(q)) for q in (1, 2, 3, 4)], empty_label=_("All quarters")
    )
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

    def filter_queryset(self, queryset):
        """A quarterly framework's list shows one quarter, the latest with assessments in scope unless
        another is chosen (as its reports do: report_views.ReportFilterForm.chosen_quarter), or all of them
        when asked (`?quarter=` empty: the first screen's counts of work waiting, whatever its quarter);
        another framework's has no quarter to choose."""
        form = self.form
        framework = form.cleaned_data.get("framework")
        if framework is None or not framework.is_quarterly:
            form.fields.pop("quarter", None)
            form.cleaned_data.pop("quarter", None)
        elif "quarter" not in form.data:
            latest = latest_quarter(user=self.request.user, framework=framework)
            form.cleaned_data["quarter"] = str(latest or "")
            form.data = form.data.copy()
            form.data["quarter"] = latest or ""
        return super().filter_queryset(queryset)

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
