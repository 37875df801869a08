"""Reads of seminars that take the user: what a list shows, and the seminars a person attended."""

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from branches.models import Commune, District, Province
from core.text import search_terms
from secretaries.models import Person, Term

from .models import Proposal, Seminar, Theme
from .organised_selectors import organiser_key


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
        # By the organiser, across both worlds: a commune's seminars among the districts', not last.
        .annotate(organiser_key=organiser_key())
        # Everyone who came, as the seminar's page counts them: its secretaries and the other attendees.
        .annotate(attendance=F("participant_count") + F("other_attendees"))
        # As a list on each seminar (`theme_list`): Django gives each seminar's related manager a queryset of
        # its own otherwise, ~30 µs a row (an export of 2,000 seminars: 60 ms).
        .prefetch_related(
            Prefetch(
                "themes", queryset=Theme.objects.only("seminar_id", "order", "title"), to_attr="theme_list"
            )
        )
    )


def person_seminars(person, *, user) -> list[Seminar]:
    """The seminars `person` attended that `user` may see, latest first."""
    return list(
        Seminar.objects.visible_to(user)
        .filter(participants=person)
        .select_related("province", "district", "commune")
        .order_by("-held_on", "-pk")
    )


def organiser_units(user, *, current=None):
    """The units a seminar of `user` may be organised by, as three querysets (provinces, districts,
    communes), each with its province: the user's scope, today's communes only (and `current`, the commune
    of the seminar being edited, if it ended since)."""
    offered = Q(ended_on__isnull=True)
    if isinstance(current, Commune):
        offered |= Q(pk=current.pk)
    communes = Commune.objects.visible_to(user).filter(offered)
    return (
        Province.objects.visible_to(user).order_by(F("ended_on").desc(nulls_first=True), "name_key"),
        District.objects.visible_to(user).select_related("province").order_by("name_key", "pk"),
        communes.select_related("province").order_by("name_key", "pk"),
    )


def organiser_search(*, user, query: str | None, limit: int) -> list:
    """The units of `organiser_units` whose name holds every typed word, at most `limit`: the provinces'
    Unions first (today's, then those that ended), then the districts', then the communes', each by name.
    At most three queries, whatever the country's size. "Huyện đoàn Tiểu Cần" finds Huyện Tiểu Cần: the
    Union's word "đoàn" is in no unit's name, so it is left out of the search."""
    terms = [term for term in search_terms(query) if term != "doan"]
    found = []
    for units in organiser_units(user):
        if len(found) >= limit:
            break
        for term in terms:
            units = units.filter(name_key__contains=term)
        found.extend(units[: limit - len(found)])
    return found


def with_branch_name(people: QuerySet) -> QuerySet:
    """`branch_name` on each person: the branch they lead now (as secretary before deputy), else the one they
    led last, as their own page places them (secretaries.selectors.keeping_terms). One subquery, evaluated
    for the rows read only."""
    kept = (
        Term.objects.filter(person=OuterRef("pk"))
        .order_by(F("ended_on").desc(nulls_first=True), "role", "-started_on")
        .values("branch__name")[:1]
    )
    return people.annotate(branch_name=Subquery(kept))


def participant_search(*, user, query: str | None, limit: int) -> list[Person]:
    """The people of `user`'s scope whose name holds every typed word, at most `limit`, each with its
    `branch_name`: two Nguyễn Văn … of one commune are told apart by their branches."""
    people = Person.objects.visible_to(user).only("id", "full_name", "date_of_birth")
    for term in search_terms(query):
        people = people.filter(name_key__contains=term)
    return list(with_branch_name(people)[:limit])
