"""The one permission mixin every portal view uses.

anonymous → the login page; an account without a role, or a role without the right → 403;
an object outside the user's scope → 404 (because it is loaded through `visible_to`); a branch
secretary's account → 404 on every staff page (it has its own pages, and learns nothing of what exists).
"""

import copy
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property

from core.planning import wide_joins_as_written


class RefusedWithReason(PermissionDenied):
    """A 403 that says why, in words the portal wrote (never request data): the 403 page shows `reason`
    instead of its general sentence about roles (core.views.permission_denied). For a page the person can
    find from one they may read, where "your role does not allow this" would not tell them what to do."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class PortalMixin(AccessMixin):
    #: override to restrict a view to some roles; the user is authenticated and has a role here
    def has_permission(self) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if user.is_secretary:
            raise Http404
        if not user.has_portal_role or not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin(PortalMixin):
    """List, detail and form views load their rows through the model's `visible_to(user)`."""

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        # One row by its key and many tables joined to it by theirs: planned in the order written.
        with wide_joins_as_written(queryset):
            return super().get_object(queryset)


def edited_copy(instance):
    """The instance an edit page's ModelForm is given: a copy of the stored object. Validating writes the
    posted values onto the form's instance (Django's construct_instance), and a refused page's title and
    breadcrumbs, which read the view's object, named what was not saved ("Tên Chưa Lưu")."""
    return copy.copy(instance) if instance is not None else None


class EditsACopyMixin:
    """An UpdateView whose object stays as stored while its form is refused (edited_copy); the services
    save what the form cleaned, onto the copy or the object, and the view's object is then the saved one."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = edited_copy(kwargs.get("instance"))
        return kwargs


def portal_view(view_func):
    """The same rules as `PortalMixin`, for small function views."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.is_secretary:
            raise Http404
        if not request.user.has_portal_role:
            raise PermissionDenied
        return view_func(request, *args, **kwargs)

    return wrapper


def secretary_view(view_func):
    """For a branch secretary's own pages: anonymous → the login page; any other account → 404 (staff have
    the staff pages; a secretary's pages are only theirs). The view reads `request.user.person` only."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_secretary or request.user.person_id is None:
            raise Http404
        return view_func(request, *args, **kwargs)

    return wrapper


class CappedCountPaginator(Paginator):
    """Counts at most CAP + 1 rows: "more than 10,000" is all a person needs of a national list, and an
    exact count of 100,000 matching rows would cost more than the page itself."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        # Only the ids: a sliced count selects what the rows select, and a list's annotations (the review's
        # score and rating: two subqueries a row) were computed for every row counted.
        return self.object_list.order_by().values("pk")[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.CAP


class DeferredRowsPaginator(CappedCountPaginator):
    """For a list ordered by another table's column (assessments by their person's name): the page's ids
    first, ordered and sliced with only the joins the order needs, then those rows with everything the page
    shows (a second query, by key). With the page's joins (branch, commune, district) in the same query,
    PostgreSQL either walked the whole name index probing each person for a row in scope (Trà Vinh's staff:
    4,558 people read for 25 rows, 17 ms) or joined every row in scope before sorting; the ids alone it
    sorts cheaply (~2 ms) or walks the index for, whichever is cheaper, and the rest is 25 lookups."""

    def _get_page(self, object_list, number, paginator):
        # `object_list`: the page's slice of the list, as Paginator.page cut it.
        ids = list(object_list.values_list("pk", flat=True))
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__any_of=ids)}
        # A row deleted between the two reads is left out, as if the page had been read a moment later.
        return super()._get_page([rows[pk] for pk in ids if pk in rows], number, paginator)


class PaginatedListMixin:
    """Pagination for portal lists: a capped count, and `page_range` (with ellipses) for
    templates/partials/pagination.html. A page number past the end opens the last page, and one that is
    not a number the first (`Paginator.get_page`), as the work list of waiting branches does: a link kept
    from before rows went (a bookmark, a page number written down) still opens the list, not a 404."""

    paginator_class = CappedCountPaginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        context["page_range"] = page.paginator.get_elided_page_range(page.number) if page else []
        return context


class PrintableListMixin:
    """A paged list's print view (`?print=1`): the whole filtered list on one page, to print on A4 with the
    unit and the day (templates/partials/print_actions.html beside the title, partials/list_scope.html
    under it). Up to `print_rows` rows: a longer list says it was cut and how to narrow it. Goes before
    PaginatedListMixin."""

    print_rows = 2000

    @property
    def printing(self) -> bool:
        return self.request.GET.get("print") == "1"

    def get_paginate_by(self, queryset):
        return self.print_rows if self.printing else super().get_paginate_by(queryset)

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        params.pop("page", None)
        params["print"] = "1"
        return super().get_context_data(printing=self.printing, print_query=params.urlencode(), **kwargs)
