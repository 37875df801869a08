"""The import pages in the URL × persona matrix (tests/test_scope_matrix.py, and after the reform).

The batch belongs to the Tiểu Cần officer's unit: its own officer, Trà Vinh's staff and the administrator
see it; the Càng Long officer and another province's staff get 404; only the officer who uploaded it
confirms it (403 for the others in scope)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.importing import secretary_row, workbook_bytes
from tests.test_scope_matrix import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Case


def _batch(world):
    from core.importing.models import ImportBatch
    from tests.factories import UserFactory

    # The Tiểu Cần officer persona (created here when the test did not ask for it).
    district = world["tieu_can"].commune.district
    owner = UserFactory(username="huyendoan.tieucan", role="district_officer", district=district)
    batch = ImportBatch.objects.filter(user=owner, file_name="matrix.xlsx").first()
    if batch is None:
        batch = ImportBatch(
            kind="secretaries", file_name="matrix.xlsx", user=owner, **ImportBatch.scope_of(owner)
        )
        content = workbook_bytes([secretary_row("Người Ma Trận", world["tieu_can"].name)])
        batch.file.save("matrix.xlsx", ContentFile(content), save=False)
        batch.file_size = len(content)
        batch.row_count = batch.error_count = 1
        batch.save()
    return batch


def batch_url(name):
    return lambda world: reverse(name, args=[_batch(world).pk])


IN_TIEU_CAN = {
    "administrator": OK,
    "tra_vinh_staff": OK,
    "tieu_can_officer": OK,
    "cang_long_officer": NOT_FOUND,
    "vinh_long_staff": NOT_FOUND,
}
#: only the officer who uploaded the batch decides on it
OWNER_ONLY = {
    **IN_TIEU_CAN,
    "administrator": FORBIDDEN,
    "tra_vinh_staff": FORBIDDEN,
    "tieu_can_officer": REDIRECT,
}

CASES = [
    Case("import log", lambda w: reverse("imports:batch_list"), {}),
    Case("import upload (secretaries)", lambda w: reverse("imports:batch_upload", args=["secretaries"]), {}),
    Case("import upload (branches)", lambda w: reverse("imports:batch_upload", args=["branches"]), {}),
    Case("import upload (scores)", lambda w: reverse("imports:batch_upload", args=["scores"]), {}),
    Case(
        "import upload (empty post)",
        lambda w: reverse("imports:batch_upload", args=["secretaries"]),
        {},
        method="post",
    ),
    Case(
        "import upload (unknown kind)",
        lambda w: reverse("imports:batch_upload", args=["nothing"]),
        {},
        NOT_FOUND,
    ),
    Case(
        "import template (secretaries)", lambda w: reverse("imports:batch_template", args=["secretaries"]), {}
    ),
    Case("import template (branches)", lambda w: reverse("imports:batch_template", args=["branches"]), {}),
    Case("import template (scores)", lambda w: reverse("imports:batch_template", args=["scores"]), {}),
    Case("import preview", batch_url("imports:batch_detail"), IN_TIEU_CAN),
    Case("import original file", batch_url("imports:batch_file"), IN_TIEU_CAN),
    Case("import same person", batch_url("imports:batch_same_person"), OWNER_ONLY, method="post"),
    Case("import confirm", batch_url("imports:batch_confirm"), OWNER_ONLY, method="post"),
]
