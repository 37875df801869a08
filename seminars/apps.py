from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = _("Seminars")

    def ready(self):
        from core.home import register_panel
        from core.reminders import register_reminder
        from core.sections import OWN_PAGE, PERSON_PAGE, register_section
        from core.subject_data import register_subject_sheets

        from . import (
            own,
            totals,  # noqa: F401  (registers its rebuild)
        )
        from .home import panel
        from .reminders import proposals_due
        from .sections import person_section

        register_panel(panel)
        register_section(PERSON_PAGE, person_section)
        register_reminder("proposals_due", _("Seminar proposals due"), proposals_due)
        register_section(OWN_PAGE, own.own_section)
        register_subject_sheets(own.subject_sheets)
