"""The work list "Chi đoàn chờ xác định xã mới": branches of communes split by the 2025 reform (or whose one
new commune already has their name) wait here until provincial staff choose their new commune, in bulk or
row by row; the choice is confirmed, then applied all or nothing (branches.services)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.mixins import CappedCountPaginator, portal_view
from core.text import normalize_name

from . import selectors, services
from .divisions import REFORM_DAY
from .forms import WaitingDateForm
from .models import Branch, Commune


def _choices(request, user) -> tuple[list[tuple[Branch, Commune]], dict[int, str], list[str]]:
    """The (branch, commune) pairs a POST asks for: each row's own choice, else the bulk choice for the
    ticked rows. Branches and communes load through the user's scope; anything else is refused."""
    post = request.POST
    ticked = {int(pk) for pk in post.getlist("branch") if pk.isdigit()}
    bulk = post.get("bulk_commune", "")
    wanted: dict[int, int] = {}
    for key, value in post.items():
        if key.startswith("commune_") and key[8:].isdigit() and value.isdigit():
            wanted[int(key[8:])] = int(value)
    for pk in ticked:
        if pk not in wanted and bulk.isdigit():
            wanted[pk] = int(bulk)
    branches = {
        b.pk: b
        for b in Branch.objects.visible_to(user).waiting().filter(pk__in=wanted).select_related("commune")
    }
    communes = {c.pk: c for c in Commune.objects.visible_to(user).filter(pk__in=set(wanted.values()))}
    errors = []
    if ticked and not bulk.isdigit() and not (ticked & set(wanted)):
        errors.append(_("Choose the new commune for the ticked branches."))
    if len(branches) < len(wanted) or len(communes) < len(set(wanted.values())):
        errors.append(_("Some chosen branches or communes are not yours to choose, or no longer wait."))
    pairs = [(branches[pk], communes[c]) for pk, c in wanted.items() if pk in branches and c in communes]
    if not pairs and not errors:
        errors.append(_("Choose a new commune for at least one branch."))
    names = {pk: normalize_name(post.get(f"name_{pk}", "")) for pk in branches}
    names = {pk: name for pk, name in names.items() if name}
    return sorted(pairs, key=lambda p: (p[0].commune.code, p[0].name_key)), names, errors


@portal_view
def branch_waiting(request):
    user = request.user
    # Today's province settles them; an ended one (Trà Vinh's staff) has none to choose (its links are
    # hidden the same way): its 403 says so and names who chooses (Tỉnh đoàn Vĩnh Long), as its other
    # refused pages do.
    if not selectors.settles_waiting(user):
        user.check_may_change_today()
        raise PermissionDenied
    query = (request.GET.get("q") or "").strip()
    date_form = WaitingDateForm(request.POST or None, initial={"on": REFORM_DAY})
    errors: list[str] = []
    if request.method == "POST":
        pairs, names, errors = _choices(request, user)
        # The date's own errors are shown beside it (date_form); the rows' above the table.
        if date_form.is_valid() and not errors:
            on = date_form.cleaned_data["on"]
            confirming = request.POST.get("confirmed") == "1"
            try:
                # The review step is refused what the confirmation would be (a name the new commune has).
                count = services.branches_attach_to_new_communes(
                    choices=pairs, on=on, user=user, names=names, check_only=not confirming
                )
            except ValidationError as error:
                errors = error.messages
            else:
                if not confirming:
                    return render(
                        request,
                        "branches/branch_waiting_confirm.html",
                        {
                            "pairs": [(b, c, names.get(b.pk, "")) for b, c in pairs],
                            "on": on,
                            # Joining after the reform's day leaves the branch in no commune in between:
                            # said before it is confirmed, with the day that closes the gap.
                            "reform_day": REFORM_DAY,
                            "waited_until": on - datetime.timedelta(days=1) if on > REFORM_DAY else None,
                            "date_form": date_form,
                            "query": query,
                        },
                    )
                messages.success(
                    request,
                    _("%(count)s branches were attached to their new commune from %(date)s.")
                    % {"count": count, "date": on.strftime("%d/%m/%Y")},
                )
                # Back to the list as it was searched (?q=…): the form posted to it, the portal's own path.
                return redirect(request.get_full_path())
    if date_form.errors:
        date_form.fields["on"].widget.attrs.update(
            {"class": "form-control form-control-sm is-invalid", "aria-describedby": "id_on_error"}
        )
    paginator = CappedCountPaginator(selectors.waiting_branches(user=user, query=query), settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.attach_candidates(page.object_list, user=user)
    posted = _posted(request, rows)
    bulk = {c.pk: c for row in rows for c in row.candidates}
    return render(
        request,
        "branches/branch_waiting_list.html",
        {
            "branches": rows,
            "bulk_candidates": sorted(bulk.values(), key=lambda c: c.name_key),
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
            "page_range": paginator.get_elided_page_range(page.number),
            "query": query,
            "date_form": date_form,
            "errors": errors,
            "bulk_posted": posted,
        },
    )


def _posted(request, rows) -> int | None:
    """What a refused POST had chosen, put back on its rows (`ticked`, `posted_commune`, `posted_name`) so
    nothing typed is lost; returns the bulk choice."""
    post = request.POST if request.method == "POST" else {}
    ticked = set(post.getlist("branch")) if post else set()
    for row in rows:
        chosen = post.get(f"commune_{row.pk}", "")
        row.ticked = str(row.pk) in ticked
        row.posted_commune = int(chosen) if chosen.isdigit() else None
        row.posted_name = post.get(f"name_{row.pk}", "")
    bulk = post.get("bulk_commune", "")
    return int(bulk) if bulk.isdigit() else None
