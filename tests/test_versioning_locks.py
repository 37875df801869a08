"""No lost updates when two saves arrive at once (core.versioning.lock_current): the row lock, seen through
two real transactions, so outside the world built once for tests/test_versioning.py."""

import pytest
from django.db import connection, transaction

from core.versioning import StaleEdit


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_cannot_both_pass_the_check():
    """A and B both loaded version 1 and post at the same moment. A holds the row lock (its save not yet
    committed); B's check waits for it, then sees A's version and is refused. Without the lock B would read
    the committed version 1 and overwrite A."""
    import threading

    from branches.services import branch_update
    from tests.factories import BranchFactory

    branch = BranchFactory()
    loaded = branch.version
    outcome = {}

    def second_officer():
        try:
            with transaction.atomic():
                branch_update(branch=type(branch).objects.get(pk=branch.pk), version=loaded, member_count=2)
            outcome["b"] = "saved"
        except StaleEdit:
            outcome["b"] = "refused"
        finally:
            connection.close()

    with transaction.atomic():
        branch_update(branch=type(branch).objects.get(pk=branch.pk), version=loaded, member_count=1)
        other = threading.Thread(target=second_officer)
        other.start()
        # Commit only once B is waiting for A's row lock (no fixed sleep: ask PostgreSQL).
        with connection.cursor() as cursor:
            for _attempt in range(500):
                # pg_stat_activity is a snapshot per transaction: take a new one each time.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = %s",
                    [connection.settings_dict["NAME"]],
                )
                if cursor.fetchone()[0]:
                    break
                other.join(timeout=0.02)
            else:
                pytest.fail("the second save never waited for the lock")
    other.join(timeout=10)
    assert outcome == {"b": "refused"}
    branch.refresh_from_db()
    assert (branch.member_count, branch.version) == (1, loaded + 1)
