"""Demo logins, one per role, printed by `manage.py load_demo` and listed in the README."""

from django.core.exceptions import ObjectDoesNotExist
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import User
from branches.models import Commune, District, Province

DEMO_PASSWORD = "demo-bithu-2026"
# The demo administrator and provincial staff must pass a second step like real ones: their authenticator
# shares this published key (`manage.py demo_totp USERNAME` prints the current code). Demo data only.
DEMO_TOTP_KEY = b"bithu-demo-totp-2026".hex()

DEMO_USERS = [
    # username, full name, role, unit code (a province's, a district's or a commune's, by role)
    ("quantri", ("Nguyễn Văn", "Quản"), User.Role.ADMINISTRATOR, None),
    # Today's units (from 01/07/2025): Tỉnh đoàn Vĩnh Long and two neighbouring commune Unions, Xã Tập Ngãi
    # (which absorbed Xã Hiếu Tử) and Xã Hùng Hòa.
    ("tinhdoan.vinhlong", ("Nguyễn Thị", "Ngọc Hân"), User.Role.PROVINCIAL_STAFF, "86"),
    ("doanxa.tapngai", ("Kim Văn", "Sơn"), User.Role.COMMUNE_OFFICER, "29365"),
    ("doanxa.hunghoa", ("Phạm Thị", "Thu"), User.Role.COMMUNE_OFFICER, "29362"),
    # The units to 30/06/2025: their logins stay, as readers of that history.
    ("tinhdoan.travinh", ("Thạch Thị", "Sa Rươne"), User.Role.PROVINCIAL_STAFF, "84"),
    ("huyendoan.tieucan", ("Trần Minh", "Tâm"), User.Role.DISTRICT_OFFICER, "846"),
    ("huyendoan.canglong", ("Lê Thị", "Hồng"), User.Role.DISTRICT_OFFICER, "844"),
]


def populate_users(*, password: str = DEMO_PASSWORD) -> list[tuple[User, str]]:
    users = []
    for username, (last_name, first_name), role, code in DEMO_USERS:
        # The unit with that code today, else the last one to end (a new commune may reuse an old code).
        model = {
            User.Role.PROVINCIAL_STAFF: Province,
            User.Role.DISTRICT_OFFICER: District,
            User.Role.COMMUNE_OFFICER: Commune,
        }.get(role)
        try:
            unit = model.objects.get_by_code(code) if model else None
        except ObjectDoesNotExist:
            continue  # a login of units not loaded (a test's small world)
        user, _created = User.objects.get_or_create(username=username)
        user.last_name, user.first_name = last_name, first_name
        user.email = f"{username}@demo.doanthanhnien.vn"
        user.role = role
        user.province = unit if model is Province else None
        user.district = unit if model is District else None
        user.commune = unit if model is Commune else None
        user.is_staff = user.is_superuser = role == User.Role.ADMINISTRATOR
        user.set_password(password)
        user.save()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        if mfa.mfa_required(user):
            TOTPDevice.objects.create(user=user, name=mfa.TOTP_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
        users.append((user, password))
    return users
