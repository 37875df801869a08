"""What the branch page shows of secretaries (registered in apps.py, read through core.sections)."""

from core.sections import Section

from .models import Term


def branch_section(branch, *, user) -> Section:
    # The branch's leaders: current ones first, then the past, newest first.
    terms = sorted(
        branch.terms.select_related("person"),
        key=lambda t: (t.ended_on is not None, t.role, -t.started_on.toordinal()),
    )
    return Section(
        template="secretaries/partials/branch_terms.html",
        context={
            "terms": terms,
            "has_secretary": any(t.is_current and t.role == Term.Role.SECRETARY for t in terms),
        },
    )
