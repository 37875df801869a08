import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SortFilter
from core.widgets import AutocompleteSelect

from .models import Branch, Commune, District, Province
from .selectors import communes_of_branches, shows_communes, shows_districts


def _provinces(request):
    return Province.objects.visible_to(request.user)


def _districts(request):
    return District.objects.visible_to(request.user)


def districts_of_the_past(filterset, user) -> None:
    """For the staff of a province formed in 2025, whose communes have had no district since: a records
    list's district filter (assessments, seminars, proposals of the past) comes after the commune, named for
    the time districts were (it came first, as if today's units had one)."""
    if not (user.is_provincial_staff and user.province.began_on is not None):
        return
    filters = filterset.filters
    if "district" not in filters or "commune" not in filters:
        return
    district = filters.pop("district")
    district.label = _("District (until 30/06/2025)")
    ordered = {}
    for name, found in filters.items():
        ordered[name] = found
        if name == "commune":
            ordered["district"] = district
    filters.clear()
    filters.update(ordered)


def _communes(request):
    return Commune.objects.visible_to(request.user).select_related("district")


def _communes_of_branches(request):
    return communes_of_branches(request.user).select_related("district")


#: the commune autocomplete of a list of branches (or of the people leading them): the communes
#: `communes_of_branches` offers
COMMUNES_OF_BRANCHES = {"of_branches": "1"}


class BranchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_("Branch or commune name, with or without diacritics"),
    )
    # A unit that has ended finds the branches it had on its last day too (BranchQuerySet.of_unit).
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, method="filter_unit"
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=_districts,
        method="filter_unit",
        widget=AutocompleteSelect("branches:district_autocomplete", forward=("province",)),
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=_communes_of_branches,
        method="filter_unit",
        widget=AutocompleteSelect(
            "branches:commune_autocomplete", forward=("district",), params=COMMUNES_OF_BRANCHES
        ),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Branch.Kind.choices, empty_label=_("All"))
    is_active = django_filters.ChoiceFilter(
        label=_("Status"),
        # One word per status, as each row's badge says it (branch_table.html, exports.status): a branch
        # ended by a merge or split is "Ceased", not among those marked inactive.
        choices=[("1", _("Active")), ("0", _("Inactive")), ("ceased", _("Ceased"))],
        method="filter_active",
        empty_label=_("All"),
    )
    o = SortFilter(
        fields=[
            ("name_key", "name"),
            ("commune__name_key", "commune"),
            ("commune__district__name_key", "district"),
            ("kind", "kind"),
            ("member_count", "members"),
            ("founded_on", "founded"),
        ],
    )

    class Meta:
        model = Branch
        fields = ["q", "province", "district", "commune", "kind", "is_active"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        # Filters above the user's own level would offer nothing to choose.
        if not user.is_administrator:
            del self.filters["province"]
        # A district officer has one district; today's units have none (communes are under the province).
        if user.is_district_officer or not shows_districts(user):
            del self.filters["district"]
            self.filters["commune"].extra["widget"] = AutocompleteSelect(
                "branches:commune_autocomplete", params=COMMUNES_OF_BRANCHES
            )
        # A commune officer's branches are under its one commune (unless some former ones moved away).
        if not shows_communes(user):
            del self.filters["commune"]

    def filter_unit(self, queryset, name, value):
        return queryset.of_unit(value)

    def filter_active(self, queryset, name, value):
        if value == "1":
            return queryset.active()
        if value == "ceased":
            return queryset.filter(ended_on__isnull=False)
        return queryset.filter(is_active=False, ended_on__isnull=True)

    def filter_search(self, queryset, name, value):
        found = queryset.search(value)
        # Unless a column's header sorts it, the branch named as typed first (every word matches anywhere).
        return found if self.data.get("o") else found.name_matches_first(value)
