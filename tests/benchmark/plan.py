"""What `make bench` measures and how it judges it: the pages, who may open them, the budgets.

Pure Python on purpose (no Django, no database): run.py fills in the ids and the admin pages at run time,
and tests/benchmark/test_plan.py checks this module in well under a second.
"""

import math
import statistics
from dataclasses import dataclass, field

# Roles, as the plan reasons about them (accounts.models.User.Role, minus the secretary's own account).
ADMINISTRATOR, PROVINCIAL, DISTRICT, COMMUNE = "administrator", "provincial", "district", "commune"
ALL_ROLES = frozenset({ADMINISTRATOR, PROVINCIAL, DISTRICT, COMMUNE})
STAFF_ROLES = frozenset({ADMINISTRATOR, PROVINCIAL})


@dataclass(frozen=True)
class Persona:
    name: str  # what the table shows
    username: str
    world: str  # "old" (2019–2025, districts) or "new" (today: provinces and communes)
    role: str


# The accounts seed_scale creates. The administrator sees the whole country: the national worst case of
# every list and total. The old world's accounts read Trà Vinh's and Tiểu Cần's 2019–2025; the new world's
# work today, in Vĩnh Long (which Trà Vinh went into) and in the commune that absorbed Xã Hiếu Tử.
PERSONAS = [
    Persona("administrator", "bench.quantri", "old", ADMINISTRATOR),
    Persona("provincial staff (84, old)", "bench.tinh", "old", PROVINCIAL),
    Persona("district officer (846, old)", "bench.huyen", "old", DISTRICT),
    Persona("provincial staff (86, new)", "bench.vinhlong", "new", PROVINCIAL),
    Persona("commune officer (new)", "bench.xa", "new", COMMUNE),
]


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # with {placeholders} filled from the world's parameters
    kind: str  # home, list, detail, report, export, form, search, admin
    audience: frozenset = ALL_ROLES  # who may open it; the others are not asked at all


def page(name, path, kind, audience=ALL_ROLES) -> Page:
    return Page(name, path, kind, frozenset(audience))


# Every page a person opens with a GET, from the URLconf (config/urls.py and the apps' urls modules).
# Left out: POST-only actions, files served from media (portraits, photos, documents: none are seeded),
# and the whole scope's Excel export for the administrator (the nation's branches, a background job's
# work: the branch export is filtered to one commune instead). A page whose placeholder a world does not
# have (a district, in the new world; an object the seed did not make) is listed as "no data" for it.
PAGES = [
    page("home", "/", "home"),
    page("account security", "/accounts/security/", "form"),
    page("password change", "/accounts/password_change/", "form"),
    # Units and branches
    page("province list", "/provinces/", "list"),
    page("province", "/provinces/{province_code}/", "detail"),
    page("district", "/districts/{district_code}/", "detail"),
    page("commune", "/communes/{commune_code}/", "detail"),
    page("branch list", "/branches/", "list"),
    page("branch search", "/branches/?q=ap+cay", "search"),
    page("branch detail", "/branches/{branch_id}/", "detail"),
    page("branch export", "/branches/export.xlsx?commune={commune_id}", "export"),
    page("branches waiting", "/branches/waiting/", "list", STAFF_ROLES),
    page("branch new", "/branches/new/", "form"),
    page("branch edit", "/branches/{branch_id}/edit/", "form"),
    page("branch deactivate", "/branches/{branch_id}/deactivate/", "form"),
    page("branch merge", "/secretaries/branches/{branch_id}/merge/", "form"),
    page("branch split", "/secretaries/branches/{branch_id}/split/", "form"),
    page("commune autocomplete", "/autocomplete/communes/?q=hieu", "search"),
    page("district autocomplete", "/autocomplete/districts/?q=tieu", "search"),
    page("branch autocomplete", "/autocomplete/branches/?q=ap", "search"),
    # Secretaries
    page("secretary list", "/secretaries/", "list"),
    page("secretary search", "/secretaries/?q=nguyen+van", "search"),
    page("secretary detail", "/secretaries/{person_id}/", "detail"),
    page("secretary edit", "/secretaries/{person_id}/edit/", "form"),
    page("secretary new", "/secretaries/new/", "form"),
    page("vacancies", "/secretaries/vacancies/", "list"),
    page("vacancy export", "/secretaries/vacancies/export.xlsx?{unit_filter}", "export"),
    page("appoint", "/secretaries/appoint/", "form"),
    page("term end", "/secretaries/terms/{term_id}/end/", "form"),
    page("term extend", "/secretaries/terms/{term_id}/extend/", "form"),
    page("person autocomplete", "/secretaries/autocomplete/?q=nguyen", "search"),
    page("secretary export", "/secretaries/export.xlsx?{unit_filter}", "export"),
    # Imports
    page("import list", "/imports/", "list"),
    page("import upload", "/imports/{import_kind}/new/", "form"),
    page("import template", "/imports/{import_kind}/template.xlsx", "export"),
    # Assessments
    page("assessment list", "/assessments/", "list"),
    page(
        "assessment export", "/assessments/export.xlsx?framework={framework_2025_id}&{unit_filter}", "export"
    ),
    page("assessment detail", "/assessments/{assessment_id}/", "detail"),
    page("assessment edit", "/assessments/{assessment_id}/edit/", "form"),
    page("assessment grid pick", "/assessments/grid/", "form"),
    page("assessment grid", "/assessments/grid/{commune_code}/", "form"),
    page("assessment summary", "/assessments/summary/", "report"),
    page("assessment summary 2025", "/assessments/summary/?framework={framework_2025_id}", "report"),
    page("summary rolled up", "/assessments/summary/?framework={framework_2025_id}&units=today", "report"),
    page("training needs", "/assessments/training/", "report"),
    page("training needs export", "/assessments/training/export.xlsx", "export"),
    # Seminars
    page("seminar list", "/seminars/", "list"),
    page("seminar detail", "/seminars/{seminar_id}/", "detail"),
    page("seminar edit", "/seminars/{seminar_id}/edit/", "form"),
    page("seminar new", "/seminars/new/", "form"),
    page("seminar delete", "/seminars/{seminar_id}/delete/", "form"),
    page("participant autocomplete", "/seminars/autocomplete/participants/?q=nguyen", "search"),
    page("seminar export", "/seminars/export.xlsx", "export"),
    page("seminar report", "/seminars/report/", "report"),
    page("seminar report export", "/seminars/report/export.xlsx", "export"),
    page("seminar follow-up", "/seminars/followup/", "list"),
    page("follow-up export", "/seminars/followup/export.xlsx", "export"),
    page("model list", "/seminars/models/", "list"),
    page("model detail", "/seminars/models/{initiative_id}/", "detail"),
    page("model new", "/seminars/models/new/", "form"),
    page("model delete", "/seminars/models/{initiative_id}/delete/", "form"),
    page("model export", "/seminars/models/export.xlsx", "export"),
    page("programme list", "/seminars/programmes/", "list"),
    page("programme detail", "/seminars/programmes/{programme_id}/", "detail"),
    page("programme new", "/seminars/programmes/new/", "form"),
    page("programme delete", "/seminars/programmes/{programme_id}/delete/", "form"),
    page("programme export", "/seminars/programmes/export.xlsx", "export"),
    # Commendations
    page("campaign list", "/awards/", "list"),
    page("campaign new", "/awards/new/", "form", STAFF_ROLES),
    page("campaign detail", "/awards/{open_campaign_id}/", "detail"),
    page("campaign edit", "/awards/{open_campaign_id}/edit/", "form", STAFF_ROLES),
    page("campaign quotas", "/awards/{open_campaign_id}/quotas/", "form", STAFF_ROLES),
    page("campaign review", "/awards/{open_campaign_id}/review/", "list"),
    page("campaign review export", "/awards/{open_campaign_id}/review/export.xlsx", "export", STAFF_ROLES),
    page("nominate", "/awards/{open_campaign_id}/nominate/", "form"),
    page("nomination detail", "/awards/nominations/{nomination_id}/", "detail"),
    page("published list", "/awards/{decided_campaign_id}/commendations/", "list"),
    page("published export", "/awards/{decided_campaign_id}/commendations/export.xlsx", "export"),
    page("official list", "/awards/{decided_campaign_id}/commendations/official/", "list"),
    page("commendation detail", "/awards/commendations/{commendation_id}/", "detail"),
    page("certificate", "/awards/commendations/{commendation_id}/certificate.pdf", "export"),
    page("commendation statistics", "/awards/statistics/", "report"),
    page("statistics rolled up", "/awards/statistics/?units=today", "report"),
]
HEALTHZ = "/healthz"

# Outcomes of a (persona, page) pair.
MEASURED = "measured"
NOT_ALLOWED = "not allowed"  # 403/404 answered, or not in the page's audience: not a failure
NO_DATA = "no data"  # the world has no object for a placeholder (or no district at all)
REDIRECT = "redirect"  # a GET answered by a redirect (e.g. to the page that settles it): noted, not timed
CLIENT_ERROR = "client error"  # 400, 405…: noted, not timed
ERROR = "error"  # 5xx or no answer: a failure
SKIPPED = "skipped"  # not reached: --time-limit ran out, or the run was interrupted (Ctrl-C)


@dataclass
class Planned:
    persona: str
    page: str
    kind: str
    path: str | None  # None when not requested (not allowed by audience, no data)
    outcome: str | None = None  # decided beforehand for the pairs not requested


def fill(path: str, parameters: dict[str, str]) -> str | None:
    """The path with its placeholders filled, or None when the world lacks one of them."""
    try:
        return path.format(**parameters)
    except KeyError:
        return None


def admin_pages(models: list[tuple[str, str, str | None]]) -> list[Page]:
    """Django admin for the administrator: the index, then each registered model's changelist and the
    change page of one of its objects. `models`: (app_label, model_name, pk of an object or None)."""
    pages = [page("admin index", "/admin/", "admin", {ADMINISTRATOR})]
    for app_label, model_name, pk in sorted(models, key=lambda m: (m[0], m[1])):
        base = f"/admin/{app_label}/{model_name}/"
        pages.append(page(f"admin {app_label}.{model_name} list", base, "admin", {ADMINISTRATOR}))
        # A model with no rows has no change page to open: "no data", through the missing placeholder.
        change = f"{base}{pk}/change/" if pk is not None else base + "{no_object}/change/"
        pages.append(page(f"admin {app_label}.{model_name} change", change, "admin", {ADMINISTRATOR}))
    return pages


def build_plan(
    personas: list[Persona],
    pages: list[Page],
    parameters: dict[str, dict[str, str]],
    *,
    only: list[str] = (),
    persona_filter: list[str] = (),
) -> list[Planned]:
    """Every (persona, page) pair: requested (path set), or settled beforehand as not allowed / no data.
    `only` keeps the pages whose name contains one of the words, `persona_filter` the personas likewise."""
    plan = []
    for persona in personas:
        if persona_filter and not any(word in persona.name for word in persona_filter):
            continue
        for entry in pages:
            if only and not any(word in entry.name for word in only):
                continue
            if persona.role not in entry.audience:
                plan.append(Planned(persona.name, entry.name, entry.kind, None, NOT_ALLOWED))
                continue
            path = fill(entry.path, parameters.get(persona.world, {}))
            if path is None:
                plan.append(Planned(persona.name, entry.name, entry.kind, None, NO_DATA))
            else:
                plan.append(Planned(persona.name, entry.name, entry.kind, path))
    return plan


def classify(status: int | None) -> str:
    """What the first answer to a page says about it for this persona."""
    if status is None or status >= 500:
        return ERROR
    if status in (403, 404):
        return NOT_ALLOWED
    if 300 <= status < 400:
        return REDIRECT
    if status >= 400:
        return CLIENT_ERROR
    return MEASURED


# Statistics.


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least `fraction` of the samples at or below it
    (so the p95 of 10 samples is the largest, of 20 the 19th)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarise(samples_ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": statistics.median(samples_ms),
        "p95_ms": percentile(samples_ms, 0.95),
    }


# Budgets.


@dataclass(frozen=True)
class Budgets:
    median_ms: float = 150.0
    p95_ms: float = 300.0
    #: page median over the /healthz median measured alongside it, for the officers' and staff's pages
    ratio_to_healthz: float = 8.0
    ratio_roles: frozenset = frozenset({PROVINCIAL, DISTRICT, COMMUNE})
    #: SQL queries of one page (in-process); the admin's pages included
    max_queries: int = 40
    #: the list's throughput at the throughput run's concurrency, with no error
    list_requests_per_s: float = 80.0


@dataclass
class Violation:
    subject: str  # "persona / page" or "throughput: page"
    rule: str
    value: float
    limit: float
    minimum: bool = False  # the limit is a floor (throughput), not a ceiling

    def __str__(self) -> str:
        return f"{self.subject}: {self.rule} {self.value:g} {'<' if self.minimum else '>'} {self.limit:g}"


@dataclass
class PageFigures:
    """What the budgets read of one measured page (run.py's Measurement has these fields)."""

    persona: str
    page: str
    role: str
    median_ms: float | None = None
    p95_ms: float | None = None
    ratio_to_healthz: float | None = None
    queries: int | None = None


@dataclass
class ThroughputFigures:
    page: str
    kind: str  # "list" or "dashboard"
    requests_per_s: float
    errors: int
    latency_ms: dict = field(default_factory=dict)


def check_budgets(
    pages: list[PageFigures], throughputs: list[ThroughputFigures], budgets: Budgets = Budgets()
) -> list[Violation]:
    violations = []
    for p in pages:
        subject = f"{p.persona} / {p.page}"
        if p.median_ms is not None and p.median_ms > budgets.median_ms:
            violations.append(Violation(subject, "median ms", round(p.median_ms, 1), budgets.median_ms))
        if p.p95_ms is not None and p.p95_ms > budgets.p95_ms:
            violations.append(Violation(subject, "p95 ms", round(p.p95_ms, 1), budgets.p95_ms))
        if (
            p.role in budgets.ratio_roles
            and p.ratio_to_healthz is not None
            and p.ratio_to_healthz > budgets.ratio_to_healthz
        ):
            violations.append(
                Violation(subject, "× healthz", round(p.ratio_to_healthz, 1), budgets.ratio_to_healthz)
            )
        if p.queries is not None and p.queries > budgets.max_queries:
            violations.append(Violation(subject, "queries", p.queries, budgets.max_queries))
    for t in throughputs:
        subject = f"throughput: {t.page}"
        if t.errors:
            violations.append(Violation(subject, "errors", t.errors, 0))
        if t.kind == "list" and t.requests_per_s < budgets.list_requests_per_s:
            violations.append(
                Violation(
                    subject, "req/s", round(t.requests_per_s, 1), budgets.list_requests_per_s, minimum=True
                )
            )
    return violations


@dataclass
class PersonaSummary:
    """One persona's measured pages at a glance: how many, the median page's time and ratio, the slowest,
    and how many exceed the ratio (for the roles held to it; None for the administrator)."""

    persona: str
    pages: int
    median_ms: float
    median_ratio: float | None
    slowest_ms: float
    slowest_page: str
    over_ratio: int | None

    def __str__(self) -> str:
        ratio = "" if self.median_ratio is None else f", median × healthz {self.median_ratio:.1f}"
        over = "" if self.over_ratio is None else f", {self.over_ratio} over the ratio"
        pages = f"{self.pages} page{'' if self.pages == 1 else 's'}"
        return (
            f"{self.persona}: {pages}, median page {self.median_ms:.1f} ms{ratio}, slowest "
            f"{self.slowest_ms:.1f} ms ({self.slowest_page}){over}"
        )


def persona_summaries(pages: list[PageFigures], budgets: Budgets = Budgets()) -> list[PersonaSummary]:
    """Per persona, in the order the pages come: the per-page budgets above say which pages fail; this says
    where each persona stands as a whole (a page's ratio moves with the machine, a persona's median less)."""
    by_persona: dict[str, list[PageFigures]] = {}
    for p in pages:
        if p.median_ms is not None:
            by_persona.setdefault(p.persona, []).append(p)
    summaries = []
    for persona, measured in by_persona.items():
        held = measured[0].role in budgets.ratio_roles
        ratios = [p.ratio_to_healthz for p in measured if p.ratio_to_healthz is not None]
        slowest = max(measured, key=lambda p: p.median_ms)
        summaries.append(
            PersonaSummary(
                persona=persona,
                pages=len(measured),
                median_ms=statistics.median(p.median_ms for p in measured),
                median_ratio=statistics.median(ratios) if held and ratios else None,
                slowest_ms=slowest.median_ms,
                slowest_page=slowest.page,
                over_ratio=sum(r > budgets.ratio_to_healthz for r in ratios) if held else None,
            )
        )
    return summaries
