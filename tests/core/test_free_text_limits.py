"""Free text typed in a form's box stops at 2,000 characters, said next to the field in Vietnamese, as the
other notes and reasons of the portal do (a refusal's reason, a correction's note, an assessment's overall
comment, a seminar theme's notes)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from assessments.forms import AssessmentForm
from secretaries.account_forms import CorrectionForm, RefuseForm
from seminars.forms import ThemeForm


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (CorrectionForm, "note"),
        (RefuseForm, "reason"),
        (AssessmentForm, "comment"),
        (ThemeForm, "notes"),
    ],
)
def test_a_free_text_box_stops_at_2000_characters(form, field):
    box = form.base_fields[field]
    assert box.clean("x" * 2000) == "x" * 2000
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        box.clean("x" * 2001)
    assert refused.value.messages == ["Tối đa 2000 ký tự (đang có 2001)."]
    assert box.widget.attrs["maxlength"] == "2000"
