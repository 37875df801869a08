"""core/compiled.py: statements compiled once, their stand-ins replaced by the real ids; one row read by its
key (the session, the account and its authenticator of every request) by a statement compiled once."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from branches.models import Branch
from core import compiled
from core.compiled import MANY, MANY_LITERAL, ONE, bind, lock_rows
from core.sessions import SessionStore
from tests.factories import BranchFactory, UserFactory


def test_bind_puts_the_id_and_the_list_in_their_places():
    params = [ONE, MANY, "da_gui", 0, 1, [5, 6], ONE, MANY_LITERAL]
    assert bind(params, one=42, many=[7, 8, 9]) == [42, [7, 8, 9], "da_gui", 0, 1, [5, 6], 42, "{7,8,9}"]


@pytest.mark.django_db
def test_a_statement_compiled_with_any_of_many_takes_the_real_list():
    """`any_of` sends its list as the text of an array: MANY compiled so is MANY_LITERAL, bound to a list."""
    sql, params = Branch.objects.filter(commune__any_of=MANY).query.sql_with_params()
    if connection.vendor != "postgresql":
        return
    assert list(params) == [MANY_LITERAL]
    branch = BranchFactory()
    with connection.cursor() as cursor:
        cursor.execute(sql, bind(params, many=[branch.commune_id, 10**9]))
        assert [row[0] for row in cursor.fetchall()] == [branch.pk]


def test_the_stand_ins_match_no_row():
    assert ONE < 0 and MANY == [ONE]


def test_lock_rows_locks_the_listed_rows_in_order():
    sql, params = lock_rows('"t"', '"id"')
    assert sql == 'SELECT 1 FROM "t" WHERE "id" = ANY(%s::bigint[]) ORDER BY "id" FOR NO KEY UPDATE'
    assert bind(params, many=[3, 1]) == [[3, 1]]


# by_pk: one row by its key, the statement compiled once per process ------------------------------------


@pytest.mark.django_db
def test_by_pk_reads_what_the_orm_reads():
    user = UserFactory(first_name="Nguyễn", last_name="Văn Tèo")
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    for model, pk in ((User, user.pk), (TOTPDevice, device.pk), (User, str(user.pk))):
        found, expected = compiled.by_pk(model, pk), model._default_manager.get(pk=pk)
        assert type(found) is model and not found._state.adding
        fields = [f.attname for f in model._meta.concrete_fields]
        assert [getattr(found, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert compiled.by_pk(User, 987654) is None


@pytest.mark.django_db
def test_on_postgresql_the_statement_is_the_orms_compiled_once():
    if connection.vendor != "postgresql":
        # SQLite gives dates as text, which the ORM converts: it reads those rows itself.
        assert compiled._by_pk(User, "default", connection.vendor) is None
        return
    user = UserFactory()
    compiled._by_pk.cache_clear()
    with CaptureQueriesContext(connection) as queries:
        compiled.by_pk(User, user.pk)
        compiled.by_pk(User, user.pk)
    assert compiled._by_pk.cache_info().misses == 1
    orm = str(User._default_manager.filter(pk=user.pk).order_by().query)
    assert [q["sql"] for q in queries.captured_queries] == [orm, orm]


@pytest.mark.django_db
def test_by_pk_reads_the_related_objects_in_the_same_row(tieu_can_officer, tra_vinh_staff):
    for user, unit in ((tieu_can_officer, "district"), (tra_vinh_staff, "province")):
        with CaptureQueriesContext(connection) as queries:
            found = compiled.by_pk(User, user.pk, related=User.UNIT_FIELDS)
            # The unit came with the account; the other foreign keys are known to be empty.
            assert getattr(found, unit) == getattr(user, unit)
            assert [getattr(found, other) for other in User.UNIT_FIELDS if other != unit] == [None, None]
        assert len(queries) == 1
        expected = User._default_manager.select_related(*User.UNIT_FIELDS).get(pk=user.pk)
        assert str(getattr(found, unit)) == str(getattr(expected, unit))
        assert found.scope_label == expected.scope_label


def test_by_pk_refuses_a_relation_it_cannot_read_from_one_row(db):
    if connection.vendor != "postgresql":
        return  # the ORM reads the row there (see above), and follows any relation itself
    with pytest.raises(ValueError, match="forward foreign keys only"):
        compiled.by_pk(User, 1, related=("commune__province",))


@pytest.mark.django_db
def test_the_session_store_reads_a_live_session_and_not_an_expired_one():
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": 42}
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None


def test_a_logged_in_request_reads_its_session_account_and_authenticator_so(
    client, tra_vinh_staff, monkeypatch
):
    from accounts import backends, middleware
    from core import sessions
    from tests.login import login_verified

    login_verified(client, tra_vinh_staff)
    read = []

    def recording(model, pk, related=()):
        read.append(model.__name__ + "".join(f"+{name}" for name in related))
        return compiled.by_pk(model, pk, related)

    for module in (sessions, backends, middleware):
        monkeypatch.setattr(module, "by_pk", recording)
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200  # verified: not sent to the code step
    assert read == ["Session", "User+province+district+commune", "TOTPDevice"] * 2
    # The header's unit (Tỉnh đoàn Trà Vinh) came with the account: no query of its own.
    with CaptureQueriesContext(connection) as queries:
        assert "Trà Vinh" in client.get("/accounts/security/").text
    assert not [q for q in queries.captured_queries if 'FROM "branches_province"' in q["sql"]]
