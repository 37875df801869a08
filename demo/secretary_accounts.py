"""The secretary in the loop, in the demo: one branch secretary of Xã Tập Ngãi with an account of their own
(bound to their record) and a correction of their phone number waiting for the commune officer."""

from django.core.exceptions import ObjectDoesNotExist

from accounts.models import User
from branches.models import Commune
from secretaries import account_services
from secretaries.models import Correction, Person, Term

from .accounts import DEMO_PASSWORD

SECRETARY_USERNAME = "bithu.tapngai"
#: Xã Tập Ngãi, today's commune of the demo's commune officer doanxa.tapngai
COMMUNE_CODE = "29365"


def populate_secretary_account(*, password: str = DEMO_PASSWORD) -> User | None:
    try:
        commune = Commune.objects.get_by_code(COMMUNE_CODE)
    except ObjectDoesNotExist:
        return None
    user = User.objects.filter(username=SECRETARY_USERNAME).select_related("person").first()
    # The first secretary of the commune who has no account yet (the self-assessment demo gives some one).
    term = (
        Term.objects.current()
        .secretaries()
        .filter(branch__commune=commune, person__account__isnull=True)
        .select_related("person")
        .order_by("branch__name", "pk")
        .first()
    )
    if user is None and term is None:
        return None
    person = user.person if user is not None else term.person
    if user is None:
        family, _sep, given = person.full_name.rpartition(" ")
        user = User(
            username=SECRETARY_USERNAME,
            role=User.Role.SECRETARY,
            person=person,
            last_name=family,
            first_name=given,
        )
    user.set_password(password)
    user.save()
    if not Correction.objects.filter(person=person).exists():
        new_phone = "0918 226 084" if person.phone != "0918 226 084" else "0918 226 085"
        account_services.correction_propose(
            person=Person.objects.get(pk=person.pk),
            user=user,
            changes={"phone": new_phone},
            note="Em đổi số điện thoại từ tháng 11.",
        )
    return user
