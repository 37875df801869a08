"""core/scope.py's `related_match`: a condition across one-to-many and many-to-many relations, written from
the far end so that the tables which only pass an id along are not in the query, finds the same rows as
Django's own join of the whole path (in one `filter()` call: the conditions on the same related row)."""

import datetime

import pytest

from core.scope import related_match
from secretaries.models import Invitation, Person, Term
from seminars.models import Initiative, Proposal, Seminar
from tests.factories import BranchFactory, CommuneFactory, UserFactory, person_with_term


@pytest.fixture
def world(db):
    here, there = CommuneFactory(name="Xã Tập Ngãi"), CommuneFactory(name="Xã Hùng Hòa")
    a, b, c = (BranchFactory(commune=here, name=f"Ấp {n}") for n in "ABC")
    elsewhere = BranchFactory(commune=there, name="Ấp Xa")
    early = person_with_term(branch=a, started_on=datetime.date(2021, 1, 1))
    person_with_term(branch=b, started_on=datetime.date(2025, 9, 1))
    # Two terms: a late one here, an early one elsewhere (the "same term" case of the conditions below).
    moved = person_with_term(branch=elsewhere, started_on=datetime.date(2020, 1, 1))
    Term.objects.create(person=moved, branch=c, role="pho_bi_thu", started_on=datetime.date(2025, 10, 1))
    outsider = person_with_term(
        branch=BranchFactory(commune=there, name="Ấp Xa Hơn"), started_on=datetime.date(2019, 5, 1)
    )
    province = here.province
    seminars = [
        Seminar.objects.create(province=province, title=f"Tọa đàm {n}", held_on=datetime.date(2025, 1, n + 1))
        for n in range(4)
    ]
    seminars[0].participants.set([early, outsider])
    seminars[1].participants.set([moved])
    seminars[2].participants.set([outsider])
    for seminar in seminars:
        Proposal.objects.create(seminar=seminar, text=f"Đề xuất {seminar.title}")
    initiative = Initiative.objects.create(province=province, name="Mô hình Ấp A", from_year=2024)
    initiative.branches.set([a])
    Initiative.objects.create(province=province, name="Mô hình nơi khác", from_year=2024).branches.set(
        [elsewhere]
    )
    officer = UserFactory()
    for person in (early, outsider):
        Invitation.objects.create(
            person=person,
            invited_by=officer,
            token_hash=f"h{person.pk}",
            expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        )
    return {"here": here, "branches": [a, b, c], "cutoff": datetime.date(2025, 6, 30)}


def joined(model, condition):
    """Django's own way: the whole path joined in one filter() call."""
    return set(model._base_manager.filter(pk__in=model._base_manager.filter(**condition).values("pk")))


def cases(world):
    here, branches, cutoff = world["here"], [b.pk for b in world["branches"]], world["cutoff"]
    return [
        (Person, {"terms__branch__commune": here}),
        (Person, {"terms__branch__any_of": branches, "terms__started_on__lte": cutoff}),
        (Seminar, {"participants__terms__branch__commune": here}),
        (
            Seminar,
            {"participants__terms__branch__any_of": branches, "participants__terms__started_on__lte": cutoff},
        ),
        (Proposal, {"seminar__participants__terms__branch__commune": here}),
        (Initiative, {"branches__commune": here}),
        (Invitation, {"person__terms__branch__commune": here}),
    ]


def test_finds_the_rows_the_joined_path_finds(world):
    for model, condition in cases(world):
        expected = joined(model, condition)
        assert set(model._base_manager.filter(related_match(model, condition))) == expected, (
            model,
            condition,
        )
    # Not vacuous: each condition keeps some rows and leaves others out.
    for model, condition in cases(world):
        assert 0 < len(joined(model, condition)) < model._base_manager.count(), (model, condition)


def test_conditions_hold_for_the_same_related_row(world):
    """`moved` has a term in the commune's branches (from 10/2025) and an earlier one elsewhere: not a
    person of those branches before the cut-off, though each condition alone holds for one of the terms."""
    branches, cutoff = [b.pk for b in world["branches"]], world["cutoff"]
    found = Person.objects.filter(
        related_match(Person, {"terms__branch__any_of": branches, "terms__started_on__lte": cutoff})
    )
    assert [p.full_name for p in found] == [Person.objects.get(terms__branch=world["branches"][0]).full_name]


def test_the_tables_that_pass_an_id_along_are_left_out(world):
    """A seminar's participants in the commune: the link table, the terms and the branches; not the people
    nor the seminars a second time (PostgreSQL plans every table of it into every query of a page)."""
    sql = str(
        Seminar.objects.filter(
            related_match(Seminar, {"participants__terms__branch__commune": world["here"]})
        ).query
    )
    assert "secretaries_person" not in sql
    assert sql.count('FROM "seminars_seminar"') == 1
    people = str(
        Person.objects.filter(related_match(Person, {"terms__branch__commune": world["here"]})).query
    )
    assert people.count('FROM "secretaries_person"') == 1


def test_plain_foreign_keys_are_joined_as_django_joins_them(world):
    condition = {"branch__commune": world["here"]}
    assert str(Term.objects.filter(related_match(Term, condition)).query) == str(
        Term.objects.filter(**condition).query
    )


def test_a_commune_officers_seminars_and_people_are_read_from_the_far_end(world):
    """visible_to goes through related_match: the commune officer's seminars name no person table, their
    people the person table once (the list's own), and both find the commune's rows only."""
    officer = UserFactory(role="commune_officer", commune=world["here"])
    seminars = Seminar.objects.visible_to(officer)
    assert "secretaries_person" not in str(seminars.query)
    assert {s.title for s in seminars} == {"Tọa đàm 0", "Tọa đàm 1"}
    people = Person.objects.visible_to(officer)
    assert str(people.query).count('FROM "secretaries_person"') == 1
    assert people.count() == 3


# The condition of visible_to, built once per request ----------------------------------------------------


def test_the_scope_condition_is_built_once_per_request_and_model(
    tieu_can_officer, cang_long_officer, monkeypatch
):
    """Kept on the user for the request, per model: one QuerySet class serves the three kinds of
    assessment totals, and a condition may hold a subquery of its own model's table."""
    from django.db.models import Q

    from assessments.models import AssessmentTotal, GroupTotal, TotalQuerySet

    built = []

    def own_table(self, user):
        built.append(self.model)
        return Q(pk__in=self.model._base_manager.values("pk"))

    monkeypatch.setattr(TotalQuerySet, "_scope_condition", own_table)
    for model in (AssessmentTotal, GroupTotal, AssessmentTotal, GroupTotal):
        sql = str(model.objects.visible_to(tieu_can_officer).query)
        assert sql.count(model._meta.db_table) >= 2  # the subquery reads its own table
        other = GroupTotal if model is AssessmentTotal else AssessmentTotal
        assert other._meta.db_table not in sql
    assert built == [AssessmentTotal, GroupTotal]
    # Another role or unit on the same object (a test changing it) builds its own.
    tieu_can_officer.district = cang_long_officer.district
    AssessmentTotal.objects.visible_to(tieu_can_officer)
    assert built == [AssessmentTotal, GroupTotal, AssessmentTotal]
