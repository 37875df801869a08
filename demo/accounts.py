"""Demo logins, one per role, printed by `manage.py load_demo` and listed in the README."""

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.models import User
from branches.models import District, Province

DEMO_PASSWORD = "demo-bithu-2026"
# The demo administrator and provincial staff must pass a second step like real ones: their authenticator
# shares this published key (`manage.py demo_totp USERNAME` prints the current code). Demo data only.
DEMO_TOTP_KEY = b"bithu-demo-totp-2026".hex()

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
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        if mfa.mfa_required(user):
            TOTPDevice.objects.create(user=user, name=mfa.TOTP_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
        users.append((user, password))
    return users
