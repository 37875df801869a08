"""Django admin: every model is managed there, searches ignore diacritics, lists stay cheap."""

import json

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import override

from core.text import fold
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"accounts", "branches", "secretaries", "seminars", "awards"}
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_add_page_load(model, client, administrator, world):
    login_verified(client, administrator)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    # Commendations are made by publishing a decision, never added by hand; invitations and corrections
    # on the portal, by officers and secretaries.
    by_hand = opts.label not in {"awards.Commendation", "secretaries.Invitation", "secretaries.Correction"}
    assert add.status_code == (200 if by_hand else 403)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_large_lists_are_cheap(model):
    model_admin = admin.site._registry[model]
    if model._meta.label != "accounts.User":
        assert model_admin.show_full_result_count is False
    # Every foreign key is an autocomplete: no <select> with thousands of options.
    for field in model._meta.get_fields():
        if field.many_to_one and field.concrete:
            assert (
                field.name in model_admin.autocomplete_fields or field.name in model_admin.readonly_fields
            ), f"{model._meta.label}.{field.name} should be an autocomplete field"


def test_admin_pages_name_the_portals_icon(client, administrator):
    """Else the browser asks for /favicon.ico on every admin page: a 404 in the log and the console."""
    login_verified(client, administrator)
    assert b'rel="icon" href="/static/favicon.svg"' in client.get(reverse("admin:index")).content


def test_admin_index_lists_its_sections_in_the_vietnamese_alphabet(client, administrator):
    """Django sorted them by code point: "Tuyên dương" before "Tài khoản", "Đánh giá kỹ năng" last."""
    from core.text import alphabet_key

    login_verified(client, administrator)
    apps = client.get(reverse("admin:index")).context["app_list"]
    names = [str(app["name"]) for app in apps]
    assert names == sorted(names, key=alphabet_key)
    assert names.index("Tài khoản") < names.index("Tọa đàm") < names.index("Tuyên dương")
    assert names.index("Đánh giá kỹ năng") < names.index("Tài khoản")
    for app in apps:
        models = [str(model["name"]) for model in app["models"]]
        assert models == sorted(models, key=alphabet_key), app["name"]


@pytest.mark.parametrize("query", ["tieu can", "TIỂU CẦN", "846"])
def test_search_ignores_diacritics_or_matches_code(query, client, administrator, world):
    login_verified(client, administrator)
    response = client.get(reverse("admin:branches_district_changelist"), {"q": query})
    assert [d.code for d in response.context["cl"].result_list] == ["846"]


def test_branch_search_d_with_stroke(client, administrator, world):
    login_verified(client, administrator)
    response = client.get(reverse("admin:branches_branch_changelist"), {"q": "dai duc"})
    assert [b.name for b in response.context["cl"].result_list] == ["Ấp Đại Đức"]


def test_autocomplete_for_commune_is_folded(client, administrator, world):
    login_verified(client, administrator)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "hieu tu", "app_label": "branches", "model_name": "branch", "field_name": "commune"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Xã Hiếu Tử, Huyện Tiểu Cần, Tỉnh Trà Vinh"]


def _choices(client, field: str, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "accounts", "model_name": "user", "field_name": field},
    )
    return [r["text"] for r in response.json()["results"]]


def test_an_accounts_choices_tell_units_and_people_of_one_name_apart(
    client, administrator, tieu_can, vinh_long, django_assert_max_num_queries
):
    """Today's Xã Tập Ngãi and the old one of Huyện Tiểu Cần (ended with the 2025 reform); two secretaries
    of one name: each choice says which, in one query for the page of results."""
    import datetime

    from tests.factories import CommuneFactory, PersonFactory

    CommuneFactory(code="29364", name="Xã Tập Ngãi", district=tieu_can, ended_on=datetime.date(2025, 6, 30))
    CommuneFactory(code="29365", name="Xã Tập Ngãi", district=None, province=vinh_long)
    first = PersonFactory(full_name="Nguyễn Minh Phong", date_of_birth=datetime.date(1995, 3, 12))
    second = PersonFactory(full_name="Nguyễn Minh Phong", date_of_birth=datetime.date(1998, 7, 1))
    login_verified(client, administrator)
    with django_assert_max_num_queries(8):
        communes = _choices(client, "commune", "tap ngai")
    assert sorted(communes) == [
        "Xã Tập Ngãi, Huyện Tiểu Cần, Tỉnh Trà Vinh (đến 30/06/2025)",
        "Xã Tập Ngãi, Tỉnh Vĩnh Long",
    ]
    assert sorted(_choices(client, "person", "nguyen minh phong")) == [
        f"Nguyễn Minh Phong, sinh 01/07/1998 (hồ sơ số {second.pk})",
        f"Nguyễn Minh Phong, sinh 12/03/1995 (hồ sơ số {first.pk})",
    ]


def test_a_commune_officer_is_not_bound_to_a_commune_that_ended(client, administrator, tieu_can):
    import datetime

    from tests.factories import CommuneFactory

    old = CommuneFactory(
        code="29364", name="Xã Tập Ngãi", district=tieu_can, ended_on=datetime.date(2025, 6, 30)
    )
    login_verified(client, administrator)
    response = client.post(
        reverse("admin:accounts_user_add"), {**NEW_USER, "role": "commune_officer", "commune": old.pk}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["commune"]
    assert errors["commune"][0].startswith(
        "Xã Tập Ngãi, Huyện Tiểu Cần, Tỉnh Trà Vinh (đến 30/06/2025) đã chấm dứt"
    )


def test_user_admin_assigns_role_and_unit(client, administrator, tieu_can):
    login_verified(client, administrator)
    response = client.get(reverse("admin:accounts_user_add"))
    html = response.content.decode()
    assert 'name="role"' in html and 'name="district"' in html


def test_an_account_is_deactivated_never_deleted(client, administrator, tieu_can_officer):
    """Deleting an account took Django admin's record of its changes with it (log entries, by cascade)."""
    from django.contrib.admin.models import LogEntry

    login_verified(client, administrator)
    delete = reverse("admin:accounts_user_delete", args=[tieu_can_officer.pk])
    change = reverse("admin:accounts_user_change", args=[tieu_can_officer.pk])
    response = client.get(delete, follow=True)
    assert response.redirect_chain == [(change, 302)]
    assert "Tài khoản không bị xóa" in response.content.decode()
    assert client.post(delete, {"post": "yes"})["Location"] == change
    assert type(tieu_can_officer).objects.filter(pk=tieu_can_officer.pk).exists()
    changelist = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "delete_selected" not in changelist
    with override("vi"):
        assert str(LogEntry._meta.verbose_name) == "mục nhật ký"


def test_assigning_the_administrator_role_grants_admin_rights(client, administrator, tieu_can_officer):
    login_verified(client, administrator)
    url = reverse("admin:accounts_user_change", args=[tieu_can_officer.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {"role": "administrator", "district": "", "date_joined_0": "01/01/2026", "date_joined_1": "08:00"}
    )
    data.pop("password", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    tieu_can_officer.refresh_from_db()
    assert tieu_can_officer.is_superuser and tieu_can_officer.is_staff


NEW_USER = {
    "username": "moi",
    "password1": "Cay-dua-xanh-ben-song-2026",
    "password2": "Cay-dua-xanh-ben-song-2026",
    "usable_password": "true",
}


def test_role_without_its_unit_is_refused_in_admin_beside_the_field(
    client, administrator, tra_vinh, tieu_can
):
    """Each unit field says what is wrong with it: missing for the role, or not for the role."""
    login_verified(client, administrator)
    response = client.post(
        reverse("admin:accounts_user_add"), {**NEW_USER, "role": "provincial_staff", "district": tieu_can.pk}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["province"] == ["Vai trò “Cán bộ Tỉnh đoàn” cần trường này."]
    assert errors["district"] == ["Để trống trường này với vai trò “Cán bộ Tỉnh đoàn”."]
    assert "__all__" not in errors  # not the constraint's sentence again at the top


def test_large_unfiltered_admin_list_uses_the_estimate(db, monkeypatch):
    """The exact count is used on SQLite and for small or filtered lists; the estimate otherwise."""
    from django.db import connection

    from branches.admin import EstimatedCountPaginator
    from branches.models import Branch
    from tests.factories import BranchFactory

    world = Branch.objects.count()  # the module's world has its branches already
    BranchFactory.create_batch(3)
    paginator = EstimatedCountPaginator(Branch.objects.all(), 50)
    if connection.vendor != "postgresql":
        assert paginator.count == world + 3
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE branches_branch")
    BranchFactory.create_batch(2)  # not yet seen by the planner's statistics
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_ABOVE", 0)
    assert EstimatedCountPaginator(Branch.objects.all(), 50).count == world + 3  # the estimate
    assert EstimatedCountPaginator(Branch.objects.filter(member_count__gte=0), 50).count == world + 5  # exact


@pytest.mark.parametrize("query", ["Nguyễn Văn Tèo", "nguyen van teo", "NGUYỄN tèo"])
@pytest.mark.parametrize(
    "changelist",
    [
        "admin:assessments_assessment_changelist",
        "admin:awards_nomination_changelist",
        "admin:secretaries_term_changelist",
        "admin:secretaries_person_changelist",
    ],
)
def test_search_by_a_persons_name_with_or_without_diacritics(changelist, query, client, administrator, world):
    """The folded copies (person__name_key) are searched with the folded words: "Nguyễn" found nothing in
    them before, where "nguyen" did."""
    login_verified(client, administrator)
    response = client.get(reverse(changelist), {"q": query})
    rows = list(response.context["cl"].result_list)
    assert rows
    assert {getattr(row, "person", row).full_name for row in rows} == {"Nguyễn Văn Tèo"}


def test_search_of_a_programme_and_its_history_page(client, administrator, tra_vinh):
    from seminars.models import Programme

    programme = Programme.objects.create(
        province=tra_vinh, name="Đoàn kết, sáng tạo", from_year=2024, to_year=2025
    )
    login_verified(client, administrator)
    url = reverse("admin:seminars_programme_changelist")
    for query in ("đoàn kết", "doan ket", "SÁNG TẠO"):
        assert list(client.get(url, {"q": query}).context["cl"].result_list) == [programme], query
    # Programmes keep their history (the portal's page shows it) and the admin's history page reads it.
    assert client.get(reverse("admin:seminars_programme_history", args=[programme.pk])).status_code == 200


def test_history_admins_are_for_models_that_keep_history():
    from simple_history.admin import SimpleHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert hasattr(model._meta, "simple_history_manager_attribute"), model._meta.label


def test_a_past_version_is_read_never_restored_and_a_malformed_address_is_404(client, administrator, world):
    """Restoring would write an old row past the services (a revoked commendation un-revoked); it answered
    500. A mistyped history address answered 500 too."""
    from assessments.models import Assessment

    assessment = world["tieu_can_assessment"]
    assessment.status = Assessment.Status.SUBMITTED
    assessment.save()
    version = assessment.history.order_by("history_id").first()
    login_verified(client, administrator)
    url = reverse("admin:assessments_assessment_simple_history", args=[assessment.pk, version.history_id])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'name="_save"' not in html
    # Read as text: no input of the record's fields, no link to change or delete a related object.
    assert 'name="status"' not in html and "related-widget-wrapper" not in html
    assert client.post(url, {"status": "nhap"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    history = reverse("admin:assessments_assessment_history", args=[assessment.pk])
    # Its first version was written by the world's builder, through no account: said so, not "Không".
    rows = client.get(history).content.decode()
    assert "Hệ thống (không qua tài khoản)" in rows and "<td>\n            Không\n" not in rows
    assert client.get(history.replace("/history/", "/change/history/")).status_code == 404
    assert client.get(f"{history}{version.history_id}x/").status_code == 404


def test_a_history_page_writes_the_changes_as_the_portal_does(client, administrator, world):
    """A choice by its label, a moment in Vietnam's time, nothing as "—": not the stored values."""
    from assessments.models import Assessment

    assessment = world["tieu_can_assessment"]
    assessment.status = Assessment.Status.SUBMITTED
    assessment.save()
    # A related object set where there was none (it answered 500: simple-history's stand-in for "none").
    from django.utils import timezone

    assessment.confirmed_by, assessment.confirmed_at = administrator, timezone.now()
    assessment.status = Assessment.Status.CONFIRMED
    assessment.save()
    login_verified(client, administrator)
    page = client.get(reverse("admin:assessments_assessment_history", args=[assessment.pk])).content.decode()
    submitted, draft = str(Assessment.Status.SUBMITTED.label), str(Assessment.Status.DRAFT.label)
    rows = page.split("<tbody>")[1]
    assert draft in rows and submitted in rows and str(administrator) in rows
    assert Assessment.Status.DRAFT.value not in rows and Assessment.Status.SUBMITTED.value not in rows


def test_the_security_logs_read_in_vietnamese_in_admin(client, administrator):
    """What happened, in words (with the name the server's log lines carry), its level, and the sensitive
    fields by their form names."""
    from core.models import SecurityEvent, SensitiveDataAccess

    SecurityEvent.objects.create(event="login.lockout", level=SecurityEvent.Level.WARNING)
    SensitiveDataAccess.objects.create(what="own-data-export", fields=["religion"], rows=1)
    login_verified(client, administrator)
    events = client.get(reverse("admin:core_securityevent_changelist")).content.decode()
    assert "Đăng nhập bị khóa sau nhiều lần sai mật khẩu <code>login.lockout</code>" in events
    assert "Cảnh báo" in events and "WARNING" not in events
    access = client.get(reverse("admin:core_sensitivedataaccess_changelist")).content.decode()
    assert "Bí thư tải dữ liệu của chính mình" in access and "Tôn giáo" in access
    assert "religion" not in access.split("<tbody>")[1]


def test_accounts_are_found_by_name_with_or_without_diacritics(client, administrator, tieu_can):
    from accounts.models import User
    from tests.factories import UserFactory

    UserFactory(
        username="huyendoan.hai",
        first_name="Minh Hải",
        last_name="Nguyễn",
        role=User.Role.DISTRICT_OFFICER,
        district=tieu_can,
    )
    login_verified(client, administrator)
    for query in ("nguyen minh hai", "Nguyễn Minh Hải", "huyendoan.hai"):
        response = client.get(reverse("admin:accounts_user_changelist"), {"q": query})
        assert [u.username for u in response.context["cl"].result_list] == ["huyendoan.hai"], query


def test_accounts_are_found_by_their_unit_with_or_without_diacritics(client, administrator, tieu_can):
    """An account is found by the unit it works for ("tap ngai" or "Tập Ngãi" finds the commune's officers),
    and by words of its name and unit together."""
    from accounts.models import User
    from tests.factories import CommuneFactory, UserFactory

    tap_ngai = CommuneFactory(name="Xã Tập Ngãi", district=tieu_can, province=tieu_can.province)
    officer = UserFactory(
        username="qa3", first_name="Đức", last_name="Trần", role=User.Role.COMMUNE_OFFICER, commune=tap_ngai
    )
    login_verified(client, administrator)
    for query in ("tap ngai", "Tập Ngãi", "TẬP NGÃI", "tran duc tap ngai", "Xã Tập Ngãi Trần"):
        response = client.get(reverse("admin:accounts_user_changelist"), {"q": query})
        names = {u.username for u in response.context["cl"].result_list}
        assert "qa3" in names and "quantri" not in names, query
    # A renamed account is found by its new name, even when only the names are saved.
    officer.last_name = "Đoàn"
    officer.save(update_fields=["last_name"])
    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "doan duc"})
    assert [u.username for u in response.context["cl"].result_list] == ["qa3"]


def test_permissions_are_listed_in_the_readers_language(client, administrator):
    """Django keeps its permissions' names in English ("Can add user"): the user's and the group's pages
    list them in Vietnamese, from the model's translated name, and in English for an English reader."""
    from django.contrib.auth.models import Permission

    from core.admin import permission_label

    add_user = Permission.objects.get(codename="add_user", content_type__app_label="accounts")
    login_verified(client, administrator)
    user_page = reverse("admin:accounts_user_change", args=[administrator.pk])
    for url in (user_page, reverse("admin:auth_group_add")):
        page = client.get(url).content.decode()
        assert "Tài khoản | người dùng | Có thể thêm người dùng" in page, url
        assert "Can add" not in page and "Can change" not in page and "Can view" not in page, url
    # Django's "superuser status" in the project's words ("Trạng thái superuser" in Django's catalogue).
    page = client.get(user_page).content.decode()
    assert "Quyền quản trị tối cao" in page and "Trạng thái superuser" not in page
    with override("en"):
        assert permission_label(add_user) == "Accounts | user | Can add user"
    custom = Permission(
        codename="publish_list", name="Can publish the list", content_type=add_user.content_type
    )
    assert permission_label(custom).endswith("| Can publish the list")  # not Django's own four: as named


@pytest.mark.parametrize(
    ("changelist", "query", "found"),
    [
        ("admin:awards_campaign_changelist", "tuyen duong 2031", "Tuyên dương bí thư tiêu biểu 2031"),
        ("admin:seminars_proposal_changelist", "boi duong ky nang", "Bồi dưỡng kỹ năng cho bí thư mới"),
        ("admin:assessments_skillgroup_changelist", "ky nang dieu hanh", "Kỹ năng điều hành, quản lý"),
        ("admin:assessments_framework_changelist", "bo tieu chi ky nang", "Bộ tiêu chí kỹ năng"),
        ("admin:core_securityevent_changelist", "dang nhap bi khoa", "login.lockout"),
        ("admin:core_securityevent_changelist", "huyendoan.tieucan", "login.success"),
    ],
)
def test_every_search_box_ignores_diacritics(
    changelist, query, found, client, administrator, world, tieu_can_officer
):
    """A word typed without its marks (or decomposed, as some Vietnamese keyboards send it) finds what a
    changelist lists: campaigns, proposals, skill groups and frameworks by their folded copies, security
    events by their words and by the account's username."""
    import datetime
    import unicodedata

    from awards.models import Campaign
    from core.models import SecurityEvent
    from seminars.models import Proposal

    Campaign.objects.create(
        province=world["tieu_can_person"].province,
        year=2031,
        title="Tuyên dương bí thư tiêu biểu 2031",
        opens_on=datetime.date(2031, 9, 1),
        closes_on=datetime.date(2031, 10, 1),
    )
    Proposal.objects.create(seminar=world["tieu_can_seminar"], text="Bồi dưỡng kỹ năng cho bí thư mới")
    SecurityEvent.objects.create(event="login.lockout", level=SecurityEvent.Level.WARNING)
    SecurityEvent.objects.create(event="login.success", user=tieu_can_officer)
    login_verified(client, administrator)
    for typed in (query, unicodedata.normalize("NFD", found) if " " in found else query):
        response = client.get(reverse(changelist), {"q": typed})
        rows = [getattr(row, "event", None) or str(row) for row in response.context["cl"].result_list]
        assert rows and all(row.startswith(found) for row in rows), (typed, rows)


def test_people_are_found_by_phone_in_admin_with_or_without_spaces(client, administrator, world):
    person = world["tieu_can_person"]  # 0912 345 678
    login_verified(client, administrator)
    for query in ("0912 345 678", "0912345678", "345 678"):
        response = client.get(reverse("admin:secretaries_person_changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [person], query


def test_a_province_of_today_finds_in_admin_the_people_of_those_merged_into_it(client, administrator, world):
    """Admin's province filter on people: a province formed in 2025 brings the people of the provinces that
    went into it, whose record still names the province of their time (as its staff read them); an ended
    province finds its own."""
    import datetime

    from branches.models import Province, ProvinceSuccession
    from secretaries.models import Person
    from tests.factories import ProvinceFactory

    reform_day = datetime.date(2025, 7, 1)
    tra_vinh = Province.objects.get(code="84")
    Province.objects.filter(pk=tra_vinh.pk).update(ended_on=reform_day - datetime.timedelta(days=1))
    today = ProvinceFactory(code="80", name="Tỉnh Vĩnh Long (mới)", began_on=reform_day)
    ProvinceSuccession.objects.create(predecessor=tra_vinh, successor=today, on=reform_day)
    login_verified(client, administrator)
    url = reverse("admin:secretaries_person_changelist")

    def found(province):
        response = client.get(url, {"province__id__exact": province.pk})
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    of_tra_vinh = set(Person.objects.filter(province=tra_vinh))
    assert of_tra_vinh and found(today) == of_tra_vinh
    assert found(tra_vinh) == of_tra_vinh
    assert found(Province.objects.get(code="86")) == set(Person.objects.filter(province__code="86"))
    assert client.get(url, {"province__id__exact": "x"}).status_code == 302  # Django admin's ?e=1


def test_the_accounts_of_a_province_are_its_staff_officers_and_secretaries(
    client, administrator, tra_vinh, vinh_long, tieu_can, tra_vinh_staff, tieu_can_officer, world
):
    """An officer's or a secretary's account names only its district, commune or person: the province
    filter and column read the province through them (they found the province's staff alone)."""
    from accounts.models import User
    from tests.factories import UserFactory

    commune = world["tieu_can"].commune
    UserFactory(username="doanxa.hieutu", role=User.Role.COMMUNE_OFFICER, commune=commune)
    UserFactory(username="bithu.hieutu", role=User.Role.SECRETARY, person=world["tieu_can_person"])
    login_verified(client, administrator)
    response = client.get(reverse("admin:accounts_user_changelist"), {"province__id__exact": tra_vinh.pk})
    found = {u.username for u in response.context["cl"].result_list}
    assert {tra_vinh_staff.username, tieu_can_officer.username, "doanxa.hieutu", "bithu.hieutu"} <= found
    assert not any(u.province_id == vinh_long.pk for u in response.context["cl"].result_list)
    html = " ".join(response.content.decode().split())
    row = html[html.index("doanxa.hieutu") :]
    assert tra_vinh.name in row[: row.index("</tr>")]


def test_a_secretary_is_the_account_of_the_province_of_the_branch_they_lead(
    client, administrator, tra_vinh, vinh_long, world
):
    """A secretary whose record names the province of its time (Trà Vinh) and who leads a branch of another
    province today is found under that province, and its column names it."""
    from accounts.models import User
    from branches.models import Branch
    from tests.factories import CommuneFactory, UserFactory

    person = world["tieu_can_person"]
    term = person.terms.get(ended_on__isnull=True)
    Branch.objects.filter(pk=term.branch_id).update(commune=CommuneFactory(province=vinh_long))
    UserFactory(username="bithu.chuyenxa", role=User.Role.SECRETARY, person=person)
    login_verified(client, administrator)
    response = client.get(reverse("admin:accounts_user_changelist"), {"province__id__exact": vinh_long.pk})
    assert "bithu.chuyenxa" in {u.username for u in response.context["cl"].result_list}
    html = " ".join(response.content.decode().split())
    row = html[html.index("bithu.chuyenxa") :]
    assert vinh_long.name in row[: row.index("</tr>")]


def test_a_relations_label_is_in_vietnamese():
    """Every relation a model of the portal declares is labelled in the portal's words: Django would otherwise
    show its field name ("Seminar" on a proposal's changelist and form, "Created by" on a campaign's). The
    kept totals (never in admin) and django-simple-history's own fields aside."""
    from django.apps import apps

    def portals(model) -> bool:
        app = model.__module__.split(".")[0]
        own = app in {"accounts", "branches", "secretaries", "assessments", "seminars", "awards", "core"}
        return own and not model.__name__.startswith("Historical") and not model.__name__.endswith("Total")

    unlabelled = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if portals(model)
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created and getattr(field, "_verbose_name", "") is None
    ]
    assert unlabelled == []


def test_an_account_needs_a_role_unless_it_is_for_django_admin_alone(client, administrator, world):
    """An account made without a role opened no portal page (QA2 item 6): the role is asked for beside its
    field. A superuser (createsuperuser's, an administrator to the portal) may keep none."""
    from accounts.models import User
    from tests.factories import UserFactory

    login_verified(client, administrator)
    response = client.post(reverse("admin:accounts_user_add"), {**NEW_USER, "role": ""})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["role"] == [
        "Hãy chọn vai trò: tài khoản không có vai trò thì không mở được trang nào của hệ thống."
    ]
    assert not User.objects.filter(username="moi").exists()

    superuser = UserFactory(username="sieuquantri", is_superuser=True, is_staff=True)
    url = reverse("admin:accounts_user_change", args=[superuser.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"date_joined_0": "01/01/2026", "date_joined_1": "08:00"})
    data.pop("password", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_an_account_without_a_role_is_told_so_on_one_page_without_the_portals_menu(client, no_role_user):
    """Every portal page answered "your role does not allow this page", with a button back to the overview
    (refused too) and a menu of pages all refused."""
    client.force_login(no_role_user)
    for url in (reverse("home"), reverse("secretaries:person_list")):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403
        assert "Tài khoản của bạn chưa được phân vai trò" in html and "data-no-role" in html
        assert "Vai trò của tài khoản không cho phép" not in html
        assert "Về trang Tổng quan" not in html
        assert 'class="navbar-nav me-auto d-none"' in html  # the staff menu is not shown


#: a word of a commune or district, and the changelists that find their records by it (QA2 item 7)
UNIT_SEARCH_LISTS = [
    "admin:secretaries_term_changelist",
    "admin:secretaries_person_changelist",
    "admin:assessments_assessment_changelist",
    "admin:branches_branch_changelist",
]


@pytest.mark.parametrize("changelist", UNIT_SEARCH_LISTS)
@pytest.mark.parametrize("query", ["hieu tu", "Hiếu Tử", "tieu can", "TIỂU CẦN"])
def test_records_are_found_in_admin_by_their_commune_or_district_without_distinct(
    changelist, query, client, administrator, world
):
    """Searching "tieu can" found nothing in these lists. The units are reached through foreign keys (a
    person's branches through EXISTS): no DISTINCT over the national tables (issue 15)."""
    login_verified(client, administrator)
    response = client.get(reverse(changelist), {"q": query})
    cl = response.context["cl"]
    rows = list(cl.result_list)
    assert rows, query
    for row in rows:
        # Each row's commune and district (a person's: those of the branches they led).
        if hasattr(row, "terms"):
            branches = [term.branch for term in row.terms.all()]
        else:
            branches = [getattr(row, "branch", row)]
        names = " ".join(f"{b.commune.name} {b.commune.district.name}" for b in branches)
        assert fold(query) in fold(names), (row, names)
    assert not cl.queryset.query.distinct and "DISTINCT" not in str(cl.queryset.query)


def test_the_terms_are_filtered_by_province_in_admin(client, administrator, world):
    login_verified(client, administrator)
    url = reverse("admin:secretaries_term_changelist")
    province = world["tieu_can"].commune.province
    response = client.get(url, {"branch__commune__province__id__exact": province.pk})
    rows = list(response.context["cl"].result_list)
    assert world["tieu_can_term"] in rows
    assert all(row.branch.commune.province_id == province.pk for row in rows)


def test_a_persons_units_in_admin_are_those_when_recorded_beside_the_unit_keeping_it(
    client, administrator, world
):
    """The person's own province and district are those the record was made under; the admin showed them
    as "Tỉnh", "Huyện", as if they were today's (QA2 item 8)."""
    person = world["tieu_can_person"]
    login_verified(client, administrator)
    page = client.get(reverse("admin:secretaries_person_change", args=[person.pk])).content.decode()
    assert "Tỉnh khi ghi nhận" in page and "Huyện khi ghi nhận" in page
    assert "Đơn vị quản lý hồ sơ" in page
    assert "Xã Hiếu Tử, Huyện Tiểu Cần, Tỉnh Trà Vinh" in page
    listing = client.get(reverse("admin:secretaries_person_changelist"), {"q": "nguyen van teo"})
    html = listing.content.decode()
    assert "Huyện khi ghi nhận" in html and "Xã quản lý hồ sơ" in html
    assert [row.commune_today for row in listing.context["cl"].result_list] == ["Xã Hiếu Tử"]


def test_a_records_history_in_admin_is_titled_and_labelled_as_an_accounts(client, administrator, world):
    """ "Xem lịch sử" and a column "Nhận xét" holding the action, where an account's history says "Lịch sử
    thay đổi" and "Thao tác" (QA2 item 10)."""
    person = world["tieu_can_person"]
    login_verified(client, administrator)
    html = client.get(reverse("admin:secretaries_person_history", args=[person.pk])).content.decode()
    assert f"Lịch sử thay đổi: {person.full_name}" in html and "Xem lịch sử" not in html
    assert '<th scope="col">Thao tác</th>' in html and "Nhận xét" not in html


def test_django_admins_own_phrases_read_naturally(client, administrator, world):
    """QA2 item 11: "Bởi đang hoạt động", "Thêm vào", "Đi đến 0 của 1 được chọn", "Các nhóm" doubled after
    "Chọn các", "Tình trạng nhân viên", and two failed-login tables of near-identical names."""
    from django.contrib.auth.models import Group

    login_verified(client, administrator)
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    for phrase in ("Theo trạng thái hoạt động", "Theo quyền quản trị tối cao", "Theo vai trò", "Đã chọn 0/"):
        assert phrase in users, phrase
    for phrase in ("Bởi ", "Thêm vào", "Đi đến", "0 của"):
        assert phrase not in users, phrase
    branches = client.get(reverse("admin:branches_branch_changelist")).content.decode()
    assert "Theo trạng thái hoạt động" in branches and "Theo đang hoạt động" not in branches
    change = client.get(reverse("admin:accounts_user_change", args=[administrator.pk])).content.decode()
    assert "Truy cập trang quản trị" in change and "nhân viên" not in change
    with override("vi"):
        assert str(Group._meta.verbose_name_plural) == "nhóm"
    index = client.get(reverse("admin:index")).content.decode()
    assert "Bộ đếm đăng nhập sai" in index and "Nhật ký đăng nhập sai" in index
    assert "Lượt đăng nhập sai" not in index and "Lần đăng nhập sai" not in index
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    for vietnamese in ("Đã chọn %(sel)s/%(cnt)s", "Có thể chọn: %s", "Đã chọn: %s"):
        assert json.dumps(vietnamese) in catalogue, vietnamese


def test_the_failed_login_counters_read_naturally(client, administrator):
    """QA report 2, item 5: "STATUS", "4 Số lần thử còn lại" and "Theo Thời điểm thử" on django-axes'
    pages."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="doanxa.qa2",
        ip_address="10.0.0.9",
        user_agent="Firefox",
        path_info="/accounts/login/",
        failures_since_start=1,
        get_data="",
        post_data="",
        http_accept="*/*",
    )
    login_verified(client, administrator)
    page = " ".join(client.get(reverse("admin:axes_accessattempt_changelist")).content.decode().split())
    for phrase in (
        "Còn 4 lần thử",
        "Trạng thái",
        "Theo thời điểm thử",
        "Theo đường dẫn",
        "Theo tình trạng khóa",
    ):
        assert phrase in page, phrase
    for phrase in ("Status", "Số lần thử còn lại", "Theo Thời điểm thử", "Theo Bị khóa"):
        assert phrase not in page, phrase
    for name in ("accesslog", "accessfailurelog"):
        page = client.get(reverse(f"admin:axes_{name}_changelist")).content.decode()
        assert "Theo thời điểm thử" in page and "Theo Thời điểm thử" not in page, name
