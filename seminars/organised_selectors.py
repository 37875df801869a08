"""Reads for the lists of models/solutions and of programmes (and their exports), taking the user: each
starts from `visible_to(user)`, and what a row counts or names (seminars, models, communes, branches) is
only what the user may read too. A fixed number of queries whatever the number of rows: counts are
correlated subqueries, the applying communes one prefetch."""

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from branches.models import Branch, Commune

from .models import Initiative, Programme, Seminar


def scoped_count(records: QuerySet, user, *, link: str = "programme") -> Coalesce:
    """The number of each row's `records` (linked to it by `link`) the user may read, as one subquery per list
    rather than a query per row."""
    counted = (
        records.visible_to(user)
        .filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def outside_count(records: QuerySet, scoped: str, *, link: str = "programme"):
    """How many of each row's `records` the user may not read: all of them less the `scoped` annotation
    (`scoped_count`), so that a list says "2 outside your scope" rather than a bare 0."""
    counted = (
        records.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0) - F(scoped)


def organiser_key() -> Coalesce:
    """The organising unit's folded name (its commune's, else its district's, else the province's), to sort
    a list by its organiser across both worlds."""
    return Coalesce("commune__name_key", "district__name_key", "province__name_key")


def initiatives_for_list(*, user) -> QuerySet:
    return (
        Initiative.objects.visible_to(user)
        .select_related("province", "district", "commune", "programme")
        .annotate(organiser_key=organiser_key())
    )


def initiatives_for_export(*, user) -> QuerySet:
    """The list's rows with what the export adds: the communes applying each (those the user may read, by
    name, as `commune_list`) and the number of its branches applying it that the user may read."""
    communes = Commune.objects.visible_to(user).only("id", "name", "name_key").order_by("name_key", "pk")
    return (
        initiatives_for_list(user=user)
        .annotate(branch_count=scoped_count(Branch.objects, user, link="initiative"))
        .prefetch_related(Prefetch("communes", queryset=communes, to_attr="commune_list"))
    )


def programmes_for_list(*, user) -> QuerySet:
    return (
        Programme.objects.visible_to(user)
        .select_related("province", "district", "commune")
        .annotate(
            seminar_count=scoped_count(Seminar.objects, user),
            initiative_count=scoped_count(Initiative.objects, user),
            organiser_key=organiser_key(),
        )
        .annotate(
            seminars_outside=outside_count(Seminar.objects, "seminar_count"),
            initiatives_outside=outside_count(Initiative.objects, "initiative_count"),
        )
    )
