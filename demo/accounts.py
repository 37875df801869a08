"""Demo logins, one per role, printed by `manage.py load_demo` and listed in the README."""

from accounts.models import User
from branches.models import District, Province

DEMO_PASSWORD = "demo-bithu-2026"

DEMO_USERS = [
    # username, full name, role, province code, district code
    ("quantri", ("Nguyễn Văn", "Quản"), User.Role.ADMINISTRATOR, None, None),
    ("tinhdoan.travinh", ("Thạch Thị", "Sa Rươne"), User.Role.PROVINCIAL_STAFF, "84", None),
    ("huyendoan.tieucan", ("Trần Minh", "Tâm"), User.Role.DISTRICT_OFFICER, None, "846"),
    ("huyendoan.canglong", ("Lê Thị", "Hồng"), User.Role.DISTRICT_OFFICER, None, "844"),
]


def populate_users(*, password: str = DEMO_PASSWORD) -> list[tuple[User, str]]:
    users = []
    for username, (last_name, first_name), role, province_code, district_code in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.last_name, user.first_name = last_name, first_name
        user.email = f"{username}@demo.doanthanhnien.vn"
        user.role = role
        user.province = Province.objects.get(code=province_code) if province_code else None
        user.district = District.objects.get(code=district_code) if district_code else None
        user.is_staff = user.is_superuser = role == User.Role.ADMINISTRATOR
        user.set_password(password)
        user.save()
        users.append((user, password))
    return users
