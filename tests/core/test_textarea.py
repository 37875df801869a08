"""Multi-line text is posted by browsers with `\r\n` line breaks and stored with `\n`: every text area of the
portal's forms reads what is posted through core.widgets.Textarea, which stores `\n`, so that saving a text
unchanged changes nothing (no history entry of a change of nothing, no false stale-form conflict)."""

import importlib

from django import forms
from django.apps import apps

from core.widgets import Textarea, unix_line_breaks

PORTAL_APPS = ("accounts", "branches", "secretaries", "assessments", "seminars", "awards")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_line_breaks_are_unix_ones():
    assert unix_line_breaks("I.\r\nII.\rIII.\n") == "I.\nII.\nIII.\n"
    assert unix_line_breaks(None) is None
    widget = Textarea()
    assert widget.value_from_datadict({"report": "a\r\n\r\nb"}, {}, "report") == "a\n\nb"


def test_every_text_area_of_the_portal_forms_is_the_portal_one():
    """A form field drawn as a text area (given one, or a model's TextField by default) uses
    core.widgets.Textarea: forms.Textarea would keep the browser's `\r\n`."""
    for app in PORTAL_APPS:
        path = apps.get_app_config(app).module.__file__.rsplit("/", 1)[0]
        for module in __import__("pathlib").Path(path).glob("*.py"):
            importlib.import_module(f"{app}.{module.stem}")
    wrong = [
        f"{form.__module__}.{form.__qualname__}.{name}"
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in PORTAL_APPS
        for name, field in form.base_fields.items()
        if isinstance(field.widget, forms.Textarea) and not isinstance(field.widget, Textarea)
    ]
    assert not wrong, wrong


def test_every_text_area_of_the_admin_pages_of_kept_records_is_the_portal_one():
    """Django admin's pages of the records with a history or a version draw their TextFields with the same
    line breaks (core.widgets.ADMIN_TEXT_AREAS), as the stale-edit check there compares them too."""
    from django.contrib import admin
    from django.db import models

    from core.versioning import Versioned

    checked, wrong = 0, []
    for model, model_admin in admin.site._registry.items():
        if not (issubclass(model, Versioned) or hasattr(model, "history")):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and field.editable:
                checked += 1
                widget = model_admin.formfield_for_dbfield(field, request=None).widget
                if not isinstance(widget, Textarea):
                    wrong.append(f"{model.__name__}.{field.name}")
    assert checked and not wrong, wrong
