from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecretariesConfig(AppConfig):
    name = "secretaries"
    verbose_name = _("Branch secretaries")

    def ready(self):
        from core.home import register_panel

        from .home import panel

        register_panel(panel)
