from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Units and branches")

    def ready(self):
        from core.history import register_reason
        from core.home import register_panel
        from core.importing.engine import register_kind

        from . import counters  # noqa: F401 (registers its rebuild with core.aggregates)
        from .home import panel
        from .imports import BranchImport
        from .services import DATED_REASONS

        register_panel(panel)
        for reason in DATED_REASONS:
            register_reason(reason)
        register_kind(BranchImport())
