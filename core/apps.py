from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: what every domain app shares (navigation, security, text, files).

    Nothing here imports a domain app; the domain apps import from here."""

    name = "core"
    verbose_name = _("Shared")

    def ready(self):
        from . import lookups, signals  # noqa: F401 (signals: connects the authentication events)
        from .history import shorten_in_vietnamese

        lookups.register()

        shorten_in_vietnamese()
