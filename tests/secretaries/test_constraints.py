"""The rules of terms are kept by the database itself, whatever code writes the rows (both databases)."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from secretaries.models import Term
from tests.factories import BranchFactory, PersonFactory

D = datetime.date


def create(**fields):
    with transaction.atomic():
        return Term.objects.create(**fields)


@pytest.fixture
def person(hieu_tu):
    return PersonFactory(branch=BranchFactory(commune=hieu_tu))


def test_one_current_secretary_per_branch(hieu_tu, person):
    branch = BranchFactory(commune=hieu_tu)
    create(person=person, branch=branch, role="bi_thu", started_on=D(2020, 1, 1))
    other = PersonFactory(branch=branch)
    with pytest.raises(IntegrityError):
        create(person=other, branch=branch, role="bi_thu", started_on=D(2021, 1, 1))
    # A deputy beside the secretary is fine, and so is a past secretary.
    create(person=other, branch=branch, role="pho_bi_thu", started_on=D(2021, 1, 1))
    third = PersonFactory(branch=branch)
    create(person=third, branch=branch, role="bi_thu", started_on=D(2015, 1, 1), ended_on=D(2019, 12, 31))
    assert sorted(branch.terms.values_list("person", "role", "ended_on")) == sorted(
        [(person.pk, "bi_thu", None), (other.pk, "pho_bi_thu", None), (third.pk, "bi_thu", D(2019, 12, 31))]
    )


def test_a_term_ends_on_or_after_it_starts(hieu_tu, person):
    branch = BranchFactory(commune=hieu_tu)
    with pytest.raises(IntegrityError):
        create(person=person, branch=branch, started_on=D(2020, 5, 1), ended_on=D(2020, 4, 30))
    one_day = create(person=person, branch=branch, started_on=D(2020, 5, 1), ended_on=D(2020, 5, 1))
    assert list(branch.terms.all()) == [one_day]


@pytest.mark.parametrize(
    ("first", "second", "overlaps"),
    [
        ((D(2018, 1, 1), D(2019, 12, 31)), (D(2020, 1, 1), None), False),
        ((D(2018, 1, 1), D(2020, 1, 1)), (D(2020, 1, 1), None), True),  # the same day counts
        ((D(2018, 1, 1), None), (D(2020, 1, 1), D(2021, 1, 1)), True),
        ((D(2020, 1, 1), D(2021, 1, 1)), (D(2018, 1, 1), D(2019, 1, 1)), False),
        ((D(2020, 1, 1), D(2021, 1, 1)), (D(2018, 1, 1), None), True),
    ],
)
def test_a_persons_terms_in_one_role_never_overlap(hieu_tu, person, first, second, overlaps):
    create(
        person=person,
        branch=BranchFactory(commune=hieu_tu),
        role="bi_thu",
        started_on=first[0],
        ended_on=first[1],
    )
    fields = {
        "person": person,
        "branch": BranchFactory(commune=hieu_tu),
        "role": "bi_thu",
        "started_on": second[0],
        "ended_on": second[1],
    }
    if overlaps:
        with pytest.raises(IntegrityError):
            create(**fields)
        assert person.terms.count() == 1
    else:
        create(**fields)
        assert person.terms.count() == 2


def test_overlap_is_also_refused_on_update(hieu_tu, person):
    create(
        person=person, branch=BranchFactory(commune=hieu_tu), started_on=D(2018, 1, 1), ended_on=D(2019, 1, 1)
    )
    later = create(person=person, branch=BranchFactory(commune=hieu_tu), started_on=D(2020, 1, 1))
    later.started_on = D(2018, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        later.save()


def test_the_same_person_may_be_secretary_and_deputy_at_once(hieu_tu, person):
    create(person=person, branch=BranchFactory(commune=hieu_tu), role="bi_thu", started_on=D(2020, 1, 1))
    create(person=person, branch=BranchFactory(commune=hieu_tu), role="pho_bi_thu", started_on=D(2020, 1, 1))
    assert sorted(Term.objects.current().filter(person=person).values_list("role", flat=True)) == [
        "bi_thu",
        "pho_bi_thu",
    ]


def test_deleting_history_is_refused(hieu_tu, person):
    from django.db.models import ProtectedError

    branch = BranchFactory(commune=hieu_tu)
    create(person=person, branch=branch, started_on=D(2020, 1, 1))
    with pytest.raises(ProtectedError):
        branch.delete()
    with pytest.raises(ProtectedError):
        person.delete()


def test_party_join_date_only_for_members(hieu_tu):
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(
            branch=BranchFactory(commune=hieu_tu), is_party_member=False, party_joined_on=D(2020, 1, 1)
        )
