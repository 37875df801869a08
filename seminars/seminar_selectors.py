"""Reads of seminars that take the user: what a list shows, and the seminars a person attended."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Proposal, Seminar, Theme


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated count: evaluated only for the rows of the page, never a join that multiplies them."""
    counted = queryset.order_by().values("seminar").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def seminars_for_list(*, user) -> QuerySet:
    participants = Seminar.participants.through.objects.filter(seminar=OuterRef("pk"))
    open_proposals = Proposal.objects.open().filter(seminar=OuterRef("pk"))
    return (
        Seminar.objects.visible_to(user)
        .select_related("province", "district", "commune", "programme")
        .annotate(participant_count=_count(participants), open_proposal_count=_count(open_proposals))
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("seminar_id", "order", "title")))
    )


def person_seminars(person, *, user) -> list[Seminar]:
    """The seminars `person` attended that `user` may see, latest first."""
    return list(
        Seminar.objects.visible_to(user)
        .filter(participants=person)
        .select_related("province", "district", "commune")
        .order_by("-held_on", "-pk")
    )
