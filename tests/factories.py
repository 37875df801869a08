"""Factories for the whole suite. Units carry real-looking official codes."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import User
from branches.models import Branch, Commune, District, Province


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    name = factory.LazyAttribute(lambda o: f"Tỉnh Thử {o.code}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"{(n % 899) + 100:03d}")
    name = factory.LazyAttribute(lambda o: f"Huyện Thử {o.code}")


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    district = factory.SubFactory(DistrictFactory)
    province = factory.LazyAttribute(lambda o: o.district.province)
    code = factory.Sequence(lambda n: f"{(n % 89999) + 10000:05d}")
    name = factory.LazyAttribute(lambda o: f"Xã Thử {o.code}")


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = Branch

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Ấp Số {n}")
    kind = Branch.Kind.HAMLET
    member_count = factory.Sequence(lambda n: 10 + n % 40)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Cán bộ"
    last_name = factory.Sequence(lambda n: f"Thử {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("mat-khau-thu")


class PersonFactory(DjangoModelFactory):
    """A person managed by the unit of `branch` (a parameter, not a field). See person_with_term."""

    class Meta:
        model = "secretaries.Person"

    class Params:
        branch = factory.SubFactory(BranchFactory)

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    gender = "nam"
    # Born 1992–2001, cycling: young (under 35, as the filters' tests expect) and an adult by 2020 however
    # many people one process makes (the import refuses under-14s; party membership needs an adult).
    date_of_birth = factory.Sequence(
        lambda n: datetime.date(1992, 1, 1) + datetime.timedelta(days=(n * 37) % 3650)
    )
    ethnicity = "01"
    phone = factory.Sequence(lambda n: f"0912 {n:06d}")
    province = factory.LazyAttribute(lambda o: o.branch.commune.province)
    district = factory.LazyAttribute(lambda o: o.branch.commune.district)


def person_with_term(*, branch, role="bi_thu", started_on=datetime.date(2022, 3, 26), **fields):
    """A person appointed to `branch` (the usual way to make one in tests)."""
    from secretaries.models import Term

    person = PersonFactory(branch=branch, **fields)
    Term.objects.create(person=person, branch=branch, role=role, started_on=started_on)
    return person
