"""What the branch page shows of secretaries (registered in apps.py, read through core.sections)."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.excel import Sheet
from core.history import reason_text
from core.scope import mark_visible
from core.sections import Section
from core.security_log import event_label

from .models import Person, Term


def branch_section(branch, *, user) -> Section:
    # The branch's leaders: current ones first, then the past, newest first.
    terms = sorted(
        branch.terms.select_related("person"),
        key=lambda t: (t.ended_on is not None, t.role, -t.started_on.toordinal()),
    )
    # A former branch's page shows who leads it today too; a person outside the user's scope (today's
    # commune's secretary, on an ended district's page) is named without a link that would answer 404.
    mark_visible([term.person for term in terms], user)
    return Section(
        template="secretaries/partials/branch_terms.html",
        context={
            "terms": terms,
            "has_secretary": any(t.is_current and t.role == Term.Role.SECRETARY for t in terms),
        },
    )


def branch_deactivate_section(branch, *, user) -> Section | None:
    """Before a branch is marked inactive: who still leads it, whose terms do not end by themselves."""
    terms = list(Term.objects.current().filter(branch=branch).select_related("person").order_by("role", "pk"))
    if not terms:
        return None
    mark_visible([term.person for term in terms], user)
    return Section(template="secretaries/partials/branch_deactivate_leaders.html", context={"terms": terms})


def _sensitive_access_label(what: str) -> str:
    if what == "own-data-export":
        return _("You downloaded your data")
    return _("Your data was exported in a list (%(file)s)") % {"file": what}


def subject_sheets(person) -> list[Sheet]:
    """The data-subject export's sheets of this app: the record, terms, consent answers, corrections,
    invitations, and the access log entries about the person (core.subject_data)."""
    from accounts.models import User
    from core.models import SecurityEvent, SensitiveDataAccess

    from .selectors import attach_communes_then, consent_history, correction_rows, person_terms, person_units

    def label(name):
        return capfirst(str(Person._meta.get_field(name).verbose_name))

    def shown(name):
        value = getattr(person, name)
        field = Person._meta.get_field(name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value if value not in (None, "") else ""

    fields = [
        "full_name",
        "gender",
        "date_of_birth",
        "ethnicity",
        "religion",
        "education_level",
        "political_theory_level",
        "is_party_member",
        "party_joined_on",
        "occupation",
        "phone",
        "email",
        "public_consent",
        "public_consent_on",
    ]
    record = [[label(name), shown(name)] for name in fields]
    record.append([_("Portrait"), _("Yes") if person.portrait else _("No")])
    # The unit that keeps the record today: that of the branch they lead (or last led), re-attached by the
    # 2025 reform to its new commune; the units it was made under, beside it where they are not those.
    # Each term names the communes of its time (as the person's page does), not the branch's today.
    terms = attach_communes_then(list(person_terms(person)))
    units = person_units(person, terms)
    today = [units[level] for level in ("commune", "district", "province") if units[level] is not None]
    record.append([_("Unit managing the record"), ", ".join(unit.name for unit in today)])
    if (person.province, person.district) != (units["province"], units["district"]):
        recorded = [unit.name for unit in (person.district, person.province) if unit is not None]
        record.append([_("Unit when recorded"), ", ".join(recorded)])
    record.append([_("Recorded on"), person.created_at])

    account = User.objects.filter(person=person).first()
    events = SecurityEvent.objects.filter(details__person=person.pk)
    if account is not None:
        events = events | SecurityEvent.objects.filter(user=account)
    accesses = SensitiveDataAccess.objects.filter(subject_id=person.pk).select_related("user")
    return [
        Sheet(_("Personal data"), [_("Field"), _("Value")], record),
        Sheet(
            _("Terms"),
            [_("Role"), _("Branch"), _("Commune"), _("Started on"), _("Ended on"), _("Reason for ending")],
            [
                [
                    t.get_role_display(),
                    t.branch.name,
                    " → ".join(commune.name for commune in t.communes_then),
                    t.started_on,
                    t.ended_on,
                    reason_text(t.end_reason),
                ]
                for t in terms
            ],
        ),
        Sheet(
            _("Consent"),
            [_("Answer"), _("Given on"), _("Recorded at")],
            [[row["label"], row["on"], row["recorded_at"]] for row in consent_history(person)],
        ),
        Sheet(
            _("Corrections"),
            [
                _("Proposed at"),
                _("Field"),
                _("Old value"),
                _("New value"),
                _("Status"),
                _("Decided at"),
                _("Reason"),
            ],
            [
                [
                    row.correction.created_at,
                    change.label,
                    change.old,
                    change.new,
                    row.correction.get_status_display(),
                    row.correction.decided_at,
                    row.correction.reason,
                ]
                for row in correction_rows(person.corrections.all())
                for change in row.changes
            ],
        ),
        Sheet(
            _("Invitations"),
            [_("Created at"), _("Sent"), _("Expires at"), _("Used at"), _("Revoked at")],
            [
                [i.created_at, i.get_channel_display(), i.expires_at, i.used_at, i.revoked_at]
                for i in person.invitations.all()
            ],
        ),
        Sheet(
            _("Access log"),
            [_("Time"), _("Event"), _("Details")],
            [
                *[
                    [e.created_at, event_label(e.event), e.details_text]
                    for e in events.order_by("-created_at")[:1000]
                ],
                *[[a.created_at, _sensitive_access_label(a.what), ", ".join(a.fields)] for a in accesses],
            ],
        ),
    ]
