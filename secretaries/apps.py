from django.apps import AppConfig
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class SecretariesConfig(AppConfig):
    name = "secretaries"
    verbose_name = _("Branch secretaries")

    def ready(self):
        from branches.counters import register_secretaries
        from branches.selectors import register_secretaries_of
        from core.history import register_reason, register_reason_field
        from core.home import register_panel
        from core.importing.engine import register_kind
        from core.personal_data import register_field_labels
        from core.reminders import register_reminder
        from core.sections import BRANCH_DEACTIVATE_PAGE, BRANCH_PAGE, register_section
        from core.subject_data import register_subject_sheets

        from .account_services import REASONS
        from .home import correction_panel, panel
        from .imports import SecretaryImport
        from .models import Person, Term
        from .reminders import terms_ending
        from .sections import branch_deactivate_section, branch_section, subject_sheets
        from .selectors import attach_secretaries, current_secretary_exists
        from .sensitive import SENSITIVE_FIELDS
        from .services import END_REASONS

        register_kind(SecretaryImport())
        for reason in (*REASONS, *END_REASONS):
            register_reason(reason)
        register_reason_field(Term._meta.get_field("end_reason"))
        register_secretaries(has_secretary=current_secretary_exists, term_model=Term)
        register_secretaries_of(attach_secretaries)
        register_panel(panel)
        register_panel(correction_panel)
        register_section(BRANCH_PAGE, branch_section)
        register_section(BRANCH_DEACTIVATE_PAGE, branch_deactivate_section)
        register_reminder("terms_ending", _("Terms ending within 60 days"), terms_ending)
        register_subject_sheets(subject_sheets)
        register_field_labels(
            {name: capfirst(Person._meta.get_field(name).verbose_name) for name in SENSITIVE_FIELDS}
        )
