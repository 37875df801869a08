from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Skill assessments")

    def ready(self):
        from core.home import register_panel
        from core.importing.engine import register_kind
        from core.reminders import register_reminder
        from core.sections import OWN_PAGE, PERSON_PAGE, register_section
        from core.subject_data import register_subject_sheets

        from . import (
            own,
            totals,  # noqa: F401  (registers its rebuild and its branch-move refresh)
        )
        from .home import panel
        from .imports import ScoreImport
        from .reminders import assessment_period
        from .sections import person_section

        register_kind(ScoreImport())
        register_panel(panel)
        register_section(PERSON_PAGE, person_section)
        register_reminder("assessment_period", _("Assessment period closing"), assessment_period)
        register_section(OWN_PAGE, own.own_section)
        register_subject_sheets(own.subject_sheets)
