"""The branch list as a sheet: its columns and rows, defined once for the portal's "Xuất Excel"
(unit_views.branch_export_file) and Django admin's export of branches (admin.BranchAdmin)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from . import rollup, selectors


def status(branch) -> str:
    """As the list's badge says it (templates/branches/partials/branch_table.html)."""
    if branch.ended_on:
        return _("Ceased")
    if branch.is_active and branch.commune.ended_on:
        return _("Waiting for its new commune")
    return _("Active") if branch.is_active else _("Inactive")


def branch_sheet(branches, *, user) -> tuple[list[str], Iterator[list]]:
    """The headers and rows of `branches` (a queryset, already scoped and filtered), each with its units by
    name, its kind and status in words, its numbers and dates as such, and its current secretary."""
    branches = branches.select_related("commune__district__province", "commune__province")
    # Since the 2025 reform a row gives its units until 30/06/2025 beside today's. Today's District stays:
    # the file is imported back, and it tells a branch still waiting under its old commune from one of
    # today's commune of the same name (branches.imports).
    two_worlds = rollup.reform_loaded()
    if two_worlds:
        branches = rollup.with_units_until_reform(branches)
    headers = [
        _("Branch"),
        _("Kind"),
        _("Commune"),
        _("District"),
        _("Province"),
        *(rollup.units_until_reform_headers() if two_worlds else []),
        _("Member count"),
        _("Founded on"),
        _("Status"),
        # Last: the import reads the columns before them by their headers and ignores these.
        _("Secretary"),
        _("Secretary's phone"),
    ]

    def chunks():
        """The rows 2,000 at a time, each chunk with its secretaries (one query a chunk)."""
        chunk = []
        for branch in branches.iterator(chunk_size=2000):
            chunk.append(branch)
            if len(chunk) == 2000:
                yield selectors.attach_secretaries(chunk, user=user)
                chunk = []
        yield selectors.attach_secretaries(chunk, user=user)

    def rows():
        for branch in (branch for chunk in chunks() for branch in chunk):
            commune = branch.commune
            yield [
                branch.name,
                branch.get_kind_display(),
                commune.name,
                commune.district.name if commune.district_id else "",
                commune.province.name,
                *(rollup.units_until_reform(branch) if two_worlds else []),
                branch.member_count,
                branch.founded_on,
                status(branch),
                branch.secretary_name or "",
                branch.secretary_phone or "",
            ]

    return headers, rows()
