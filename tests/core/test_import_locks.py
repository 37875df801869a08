"""Two confirmations at once (core.importing.services.batch_commit), seen through two real transactions:
the check of a preview and its write hold the rows it decides on, so only one of two previews of the same
branch is written, and the other is refused as stale rather than writing over it."""

import threading

import pytest
from django.db import connection, transaction

from branches.models import Branch
from core.importing import services
from core.importing.engine import KINDS
from tests.factories import BranchFactory, UserFactory
from tests.importing import upload, workbook_bytes

HEADERS = ["Xã", "Tên chi đoàn", "Số đoàn viên"]


def _wait_until_blocked():
    with connection.cursor() as cursor:
        for _attempt in range(500):
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # a new snapshot each time
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = %s",
                [connection.settings_dict["NAME"]],
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.02)
    pytest.fail("the second confirmation never waited for the lock")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_previews_of_one_branch_confirmed_at_once_cannot_both_be_written():
    branch = BranchFactory(member_count=10)
    commune = branch.commune
    user = UserFactory(role="provincial_staff", province=commune.province)
    kind = KINDS["branches"]

    def preview(members):
        content = workbook_bytes(
            [{"Xã": commune.name, "Tên chi đoàn": branch.name, "Số đoàn viên": members}], HEADERS
        )
        batch = services.batch_create(kind=kind, upload=upload(content), user=user)
        assert batch.updated_count == 1
        return batch

    first, second = preview(44), preview(30)  # both previewed while the branch has 10 members
    outcome = {}

    def confirm_second():
        try:
            services.batch_commit(batch=second, user=user)
            outcome["second"] = "written"
        except services.StalePreview:
            outcome["second"] = "refused"
        finally:
            connection.close()

    with transaction.atomic():
        services.batch_commit(batch=first, user=user)  # written, not yet committed: its rows stay locked
        other = threading.Thread(target=confirm_second)
        other.start()
        _wait_until_blocked()
    other.join(timeout=20)
    assert outcome == {"second": "refused"}
    branch = Branch.objects.get(pk=branch.pk)
    assert (branch.member_count, branch.version) == (44, 2)
    second.refresh_from_db()
    assert second.is_preview and second.report["stale"]["rows"] == [3]
