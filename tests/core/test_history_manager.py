"""Every model with a history reads it through one manager class, built once (core.history.HistoryManager)."""

from django.apps import apps

from core.history import HistoryManager


def test_every_history_manager_class_is_built_once():
    attribute = "simple_history_manager_attribute"
    models = [model for model in apps.get_models() if hasattr(model._meta, attribute)]
    assert len(models) >= 15
    for model in models:
        history = getattr(model, getattr(model._meta, attribute))
        assert isinstance(history, HistoryManager), model
        assert type(getattr(model, getattr(model._meta, attribute))) is type(history), model
