from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = _("Seminars")

    def ready(self):
        from core.home import register_panel
        from core.sections import PERSON_PAGE, register_section

        from . import totals  # noqa: F401  (registers its rebuild)
        from .home import panel
        from .sections import person_section

        register_panel(panel)
        register_section(PERSON_PAGE, person_section)
