from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Commendations")

    def ready(self):
        from core.history import register_reason
        from core.home import register_panel
        from core.reminders import register_reminder
        from core.sections import OWN_PAGE, PERSON_PAGE, register_section
        from core.subject_data import register_subject_sheets

        from . import own
        from .home import chart_panel, panel
        from .reminders import nomination_closing
        from .sections import person_section
        from .services import REASONS

        register_panel(panel)
        register_panel(chart_panel)
        register_section(PERSON_PAGE, person_section)
        register_reminder("nomination_closing", _("Nomination window closing"), nomination_closing)
        register_section(OWN_PAGE, own.own_section)
        register_subject_sheets(own.subject_sheets)
        for reason in REASONS:
            register_reason(reason)
