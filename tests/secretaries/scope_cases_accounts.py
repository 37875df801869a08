"""The officers' pages of the secretary in the loop in the URL × persona matrix (tests/test_scope_matrix.py):
inviting the world's Tiểu Cần secretary, the slip, disabling the account, the corrections."""

from django.urls import reverse

from tests.test_scope_matrix import REDIRECT, Case, in_tieu_can


def _invitation(world):
    import datetime
    import secrets

    from django.utils import timezone

    from secretaries.models import Invitation
    from tests.factories import UserFactory

    person = world["tieu_can_person"]
    officer = UserFactory(username="moi.tieucan", role="district_officer", district=person.district)
    # Written directly: the secretary persona of the matrix may have an account already. The open one if
    # there is one (a test may read every case's URL in one transaction: one open invitation per person).
    return Invitation.objects.filter(person=person).open().first() or Invitation.objects.create(
        person=person,
        invited_by=officer,
        channel="printed",
        token_hash=secrets.token_hex(32),
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )


def _correction(world):
    from accounts.models import User
    from secretaries.models import Correction
    from tests.factories import UserFactory

    person = world["tieu_can_person"]
    account = User.objects.filter(person=person).first() or UserFactory(
        username="bithu.matran", role="secretary", person=person
    )
    return Correction.objects.create(
        person=person,
        changes={"phone": "0987 654 321"},
        previous={"phone": person.phone},
        proposed_by=account,
    )


def person_url(name):
    return lambda world: reverse(name, args=[world["tieu_can_person"].pk])


CASES = [
    Case("invite a secretary (form)", person_url("secretaries:person_invite"), in_tieu_can()),
    Case(
        "invite a secretary (empty post)",
        person_url("secretaries:person_invite"),
        in_tieu_can(),
        method="post",
    ),
    # The code is shown once, right after inviting: a later visit goes back to the record.
    Case(
        "invitation slip",
        lambda w: reverse("secretaries:invitation_slip", args=[_invitation(w).pk]),
        in_tieu_can(status_inside=REDIRECT),
    ),
    Case(
        "invitation revoke",
        lambda w: reverse("secretaries:invitation_revoke", args=[_invitation(w).pk]),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
    Case(
        "secretary account disable",
        person_url("secretaries:person_account_active"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
    Case("correction list", lambda w: reverse("secretaries:correction_list"), {}),
    Case(
        "correction review",
        lambda w: _correction(w).get_absolute_url(),
        in_tieu_can(),
    ),
    Case(
        "correction review (empty post)",
        lambda w: _correction(w).get_absolute_url(),
        in_tieu_can(),
        method="post",
    ),
]

#: the secretary's own pages: every staff persona gets 404 (they are nobody's but the secretary's)
OWN_URLS = {
    "own page": lambda w: reverse("own:home"),
    "own correction": lambda w: reverse("own:correction"),
    "own export": lambda w: reverse("own:export"),
}
