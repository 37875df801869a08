"""Django admin (with django-simple-history and django-import-export) under the Content-Security-Policy,
as the administrator, and the grid's year choice: the second half of the crawl (tests/browser/
test_csp_crawl.py has the portal's pages), in a file of its own so the two halves run on different workers."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.answers import client_of
from tests.browser.conftest import login
from tests.browser.test_csp_crawl import one_per_behaviour, visit_html
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def admin_urls(world) -> list[str]:
    """Every model's list, add and change pages (their filters, widgets and inlines differ from model to
    model); the history, simple-history and export pages only twice each, as they are one template
    whatever the model (visiting them for every model cost half of this test's time)."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    generic = {"history": 0, "simple_history": 0, "export": 0}

    def once_or_twice(kind: str) -> bool:
        generic[kind] += 1
        return generic[kind] <= 2

    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{name}_changelist"))
        urls.append(reverse(f"{name}_add"))  # commendations answer 403: skipped
        obj = model.objects.first()
        if obj is not None:
            urls.append(reverse(f"{name}_change", args=[obj.pk]))
            if once_or_twice("history"):
                urls.append(reverse(f"{name}_history", args=[obj.pk]))
            if hasattr(model_admin, "history_form_view"):
                record = obj.history.first()
                if record is not None and once_or_twice("simple_history"):
                    urls.append(reverse(f"{name}_simple_history", args=[obj.pk, record.history_id]))
        if hasattr(model_admin, "get_export_queryset") and once_or_twice("export"):
            urls.append(reverse(f"{name}_export"))
    return urls


def test_admin_keeps_the_policy(page, live_server, world, administrator):
    # The pages before logging in: the portal's login, password reset, and admin's own login.
    for name in ("login", "password_reset", "admin:login"):
        visit_html(page, live_server.url + reverse(name))
    login(page, live_server, administrator.username, PASSWORD)
    urls = admin_urls(world)
    pages = one_per_behaviour(client_of(administrator), urls)
    assert 10 < len(pages) < len(urls)
    for url in pages:
        visit_html(page, live_server.url + url)
    # The widgets that build markup in the browser: the calendar and clock of a date-time field, and
    # an autocomplete (Select2) opened.
    page.goto(live_server.url + reverse("admin:accounts_user_change", args=[administrator.pk]))
    page.locator(".datetimeshortcuts a").first.click()
    page.goto(live_server.url + reverse("admin:branches_branch_add"))
    page.locator(".select2-selection").first.click()
    page.wait_for_selector(".select2-results__option")


def test_grid_year_choice_reloads_without_an_inline_handler(page, live_server, world, tieu_can_officer):
    """The commune grid's framework choice used onchange="this.form.submit()"; portal.js does it now."""
    from assessments.models import Framework

    older = Framework.objects.create(year=2025, name="Bộ tiêu chí 2025")
    login(page, live_server, tieu_can_officer.username, PASSWORD)
    page.goto(live_server.url + reverse("assessments:commune_grid", args=[world["tieu_can"].commune.code]))
    with page.expect_navigation():
        page.select_option("#grid-framework", str(older.pk))
    assert f"framework={older.pk}" in page.url
    assert page.locator("#grid-framework").input_value() == str(older.pk)
