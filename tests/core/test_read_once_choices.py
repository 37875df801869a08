"""core.fields.ReadOnceModelChoiceField and core.filters.ReadOnceModelChoiceFilter: a short model select
reads its rows once for the form (checking the value, the `required` check, the options), and behaves as
Django's ModelChoiceField otherwise: the same options drawn, the same values accepted and refused."""

import django_filters
import pytest
from django import forms

from branches.models import Branch, Commune
from core.fields import ReadOnceModelChoiceField
from core.filters import ReadOnceModelChoiceFilter
from tests.factories import BranchFactory, CommuneFactory


@pytest.fixture
def branches(db):
    commune = CommuneFactory()
    return [BranchFactory(commune=commune, name=f"Ấp {n}") for n in range(3)]


def form_class(field_class, **options):
    class BranchForm(forms.Form):
        branch = field_class(queryset=Branch.objects.select_related("commune").order_by("name"), **options)

    return BranchForm


@pytest.mark.parametrize("empty_label", [None, "---------"])
def test_one_query_to_check_the_value_and_draw_the_options(branches, empty_label, django_assert_num_queries):
    ours, django = (
        form_class(ReadOnceModelChoiceField, empty_label=empty_label),
        form_class(forms.ModelChoiceField, empty_label=empty_label),
    )
    data = {"branch": str(branches[1].pk)}
    with django_assert_num_queries(1):
        form = ours(data)
        assert form.is_valid() and form.cleaned_data["branch"] == branches[1]
        html = str(form["branch"])
    reference = django(data)
    assert reference.is_valid()
    assert html == str(reference["branch"])


@pytest.mark.parametrize("value", ["abc", "999999999", "1.5", " ", "[1]"])
def test_what_django_refuses_is_refused(branches, value):
    ours, django = (
        form_class(ReadOnceModelChoiceField)({"branch": value}),
        form_class(forms.ModelChoiceField)({"branch": value}),
    )
    assert ours.is_valid() == django.is_valid()
    assert ours.errors == django.errors


def test_a_nul_is_refused_and_a_padded_key_found_as_django_finds_it(branches):
    nul = form_class(ReadOnceModelChoiceField)({"branch": f"{branches[0].pk}\x00"})
    assert not nul.is_valid() and nul.errors == form_class(forms.ModelChoiceField)({"branch": "1\x00"}).errors
    padded = form_class(ReadOnceModelChoiceField)({"branch": f"0{branches[0].pk}"})
    assert padded.is_valid() and padded.cleaned_data["branch"] == branches[0]


def test_a_queryset_narrowed_after_reading_is_read_again(branches):
    form = form_class(ReadOnceModelChoiceField)()
    field = form.fields["branch"]
    assert len(list(field.choices)) == 4  # the empty choice and three branches
    field.queryset = Branch.objects.filter(pk=branches[2].pk)
    assert [label for _value, label in field.choices][1:] == [str(branches[2])]


class BranchFilter(django_filters.FilterSet):
    commune = ReadOnceModelChoiceFilter(queryset=Commune.objects.order_by("name"), null_label="Không có")

    class Meta:
        model = Branch
        fields = []


def test_the_filter_reads_its_choices_once_and_keeps_django_filters_null_choice(
    branches, django_assert_num_queries
):
    other = CommuneFactory(name="Xã Khác")
    elsewhere = BranchFactory(commune=other)
    with django_assert_num_queries(2):  # the choices, then the filtered rows
        found = BranchFilter({"commune": str(other.pk)}, queryset=Branch.objects.all())
        assert list(found.qs) == [elsewhere]
        labels = [label for _value, label in found.form.fields["commune"].choices]
        str(found.form["commune"])
    communes = sorted([branches[0].commune, other], key=lambda c: c.name)
    assert labels == ["---------", "Không có", *[str(c) for c in communes]]
