"""Django admin's national changelists: no needless DISTINCT, and deep pages reached by key
(core.admin.KeysetChangeList) at the cost of the first page."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.admin import EstimatedCountPaginator
from secretaries.models import Person, Term
from tests.factories import person_with_term
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")


def _sql(client, url, params) -> tuple[str, int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return " ".join(q["sql"] for q in queries.captured_queries), len(queries), response.content.decode()


def test_term_search_spans_person_and_branch_without_distinct(client, administrator, world):
    login_verified(client, administrator)
    url = reverse("admin:secretaries_term_changelist")
    sql, _count, html = _sql(client, url, {"q": "teo"})
    # The rows (and their count) are read without DISTINCT; the date drill-down's own query of distinct
    # days is not the list.
    assert 'SELECT DISTINCT "secretaries_term"' not in sql
    assert "COUNT(DISTINCT" not in sql.upper()
    assert "Nguyễn Văn Tèo" in html


@pytest.mark.parametrize(
    "model, ordered",
    [
        (Person, lambda: list(Person.objects.order_by("sort_key", "pk").values_list("pk", flat=True))),
        (Term, lambda: list(Term.objects.order_by("-started_on", "-pk").values_list("pk", flat=True))),
    ],
    ids=["person", "term"],
)
def test_deep_pages_go_on_by_key_at_a_fixed_cost(client, administrator, world, monkeypatch, model, ordered):
    for n in range(6):
        person_with_term(branch=world["tieu_can"], full_name=f"Lê Văn Sâu {n}", role="pho_bi_thu")
    model_admin = admin.site._registry[model]
    monkeypatch.setattr(model_admin, "list_per_page", 2)
    monkeypatch.setattr(EstimatedCountPaginator, "CAP", 3)
    login_verified(client, administrator)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    expected = ordered()
    assert len(expected) >= 8

    # The pages of the first CAP rows are offered by number; the last of them links onwards by key.
    seen, counts = [], []
    params = {}
    for _window in range(len(expected)):  # each window moves on; more would be a loop
        found = None
        for page in (1, 2):
            sql, count, html = _sql(client, url, {**params, "p": page} if page > 1 else params)
            rows = [int(pk) for pk in re.findall(r'name="_selected_action" value="(\d+)"', html)]
            seen += rows
            counts.append(count)
            assert " OFFSET 100" not in sql
            found = re.search(r'href="\?([^"]*after=\d+[^"]*)"\s*class="showall"', html)
            if found or len(rows) < 2 or "p=2" not in html:
                break
        if not found:
            break
        params = dict(pair.split("=") for pair in found.group(1).replace("&amp;", "&").split("&"))
        assert "p" not in params, params
    assert seen == expected
    # A keyset page costs the first page's queries and one more (the row it starts after).
    assert max(counts) - min(counts) <= 1
