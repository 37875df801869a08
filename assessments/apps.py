from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Skill assessments")

    def ready(self):
        from core.home import register_panel
        from core.importing.engine import register_kind
        from core.sections import PERSON_PAGE, register_section

        from . import totals  # noqa: F401  (registers its rebuild and its branch-move refresh)
        from .home import panel
        from .imports import ScoreImport
        from .sections import person_section

        register_kind(ScoreImport())
        register_panel(panel)
        register_section(PERSON_PAGE, person_section)
