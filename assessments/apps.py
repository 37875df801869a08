from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Skill assessments")

    def ready(self):
        from core.home import register_panel

        from .home import panel

        register_panel(panel)
