"""Upload limits (OWASP ASVS 5.0 V5): what is too much is refused before it is read or decoded, with a
Vietnamese message, never a 500."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretaries import portraits
from seminars.models import Photo
from seminars.services import MAX_PHOTOS_PER_UPLOAD
from tests.conftest import jpeg_bytes

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


def photos(count: int, size: int = 0) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"anh-{n}.jpg", jpeg_bytes() + b"\0" * size, content_type="image/jpeg")
        for n in range(count)
    ]


@pytest.fixture
def seminar(world):
    return world["tieu_can_seminar"]


@pytest.fixture
def officer_client(client, tieu_can_officer):
    client.force_login(tieu_can_officer)
    return client


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any uploaded image is opened."""

    def refuse(upload, **kwargs):
        raise AssertionError(f"{upload.name} was decoded")

    monkeypatch.setattr(portraits, "image_process", refuse)


def upload_url(seminar) -> str:
    return reverse("seminars:photo_upload", args=[seminar.pk])


def refusal_text(response) -> str:
    """The seminar's page shown again with the upload form's refusal beside its files."""
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["photo_form"].errors.get("images", []))


def test_the_limits_agree_with_each_other():
    """One request may carry the files one upload allows, each at its largest, and no more."""
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == MAX_PHOTOS_PER_UPLOAD
    assert settings.MAX_REQUEST_BODY_SIZE >= MAX_PHOTOS_PER_UPLOAD * portraits.MAX_BYTES
    assert settings.MAX_REQUEST_BODY_SIZE <= (MAX_PHOTOS_PER_UPLOAD + 1) * portraits.MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


def test_readme_tells_the_proxy_the_same_limit():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    megabytes = settings.MAX_REQUEST_BODY_SIZE // (1024 * 1024)
    assert re.search(rf"client_max_body_size\s+{megabytes}m;", readme)


def test_a_body_over_the_limit_is_refused_unread(officer_client, seminar, settings, no_decoding):
    settings.MAX_REQUEST_BODY_SIZE = 1024 * 1024
    before = Photo.objects.count()
    response = officer_client.post(upload_url(seminar), {"images": photos(1, size=1024 * 1024)})
    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()
    assert Photo.objects.count() == before
    # Refused before the session or CSRF middleware read the body: Django never parsed it.
    assert not hasattr(response.wsgi_request, "_files")


def test_a_declared_length_over_the_limit_is_refused_without_reading(officer_client, seminar):
    """Only the Content-Length header counts: the body itself (here: nothing) is never read."""
    response = officer_client.generic(
        "POST",
        upload_url(seminar),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_SIZE + 1),
    )
    assert response.status_code == 413
    assert "55 MB" in response.content.decode()


def test_too_many_files_in_one_request(officer_client, seminar, caplog, no_decoding):
    """Django stops parsing at the eleventh file; the person is told the limit in Vietnamese."""
    before = Photo.objects.count()
    response = officer_client.post(upload_url(seminar), {"images": photos(MAX_PHOTOS_PER_UPLOAD + 1)})
    assert response.status_code == 400
    assert f"Mỗi lần chỉ gửi được tối đa {MAX_PHOTOS_PER_UPLOAD} tệp" in response.content.decode()
    assert Photo.objects.count() == before
    # Django reports it on its security logger; that is expected here, not a failure of the test.
    assert [r.name for r in caplog.records if r.levelname == "ERROR"] == ["django.security.TooManyFilesSent"]
    caplog.clear()


def test_too_many_form_fields(officer_client, caplog):
    response = officer_client.post(reverse("seminars:seminar_create"), {f"f{n}": "x" for n in range(1001)})
    assert response.status_code == 400
    assert "quá nhiều dữ liệu" in response.content.decode()
    caplog.clear()


def test_photo_count_per_upload_is_checked_before_decoding(officer_client, seminar, settings, no_decoding):
    """Should Django's limit be raised, the form still refuses more than one upload's worth of photos."""
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 50
    response = officer_client.post(upload_url(seminar), {"images": photos(MAX_PHOTOS_PER_UPLOAD + 1)})
    assert f"tối đa {MAX_PHOTOS_PER_UPLOAD} ảnh" in refusal_text(response)


def test_photo_count_per_seminar_is_checked_before_decoding(
    officer_client, seminar, monkeypatch, no_decoding
):
    before = seminar.photos.count()
    monkeypatch.setattr("seminars.photo_views.MAX_PHOTOS_PER_SEMINAR", before + 1)
    response = officer_client.post(upload_url(seminar), {"images": photos(2)})
    assert f"Mỗi buổi tọa đàm lưu tối đa {before + 1} ảnh" in refusal_text(response)
    assert seminar.photos.count() == before


def test_sizes_are_checked_before_any_file_is_decoded(officer_client, seminar, no_decoding):
    files = [*photos(1), *photos(1, size=portraits.MAX_BYTES)]
    files[1].name = "lon.jpg"
    response = officer_client.post(upload_url(seminar), {"images": files})
    assert "lon.jpg" in refusal_text(response) and "5 MB" in refusal_text(response)


def test_other_bad_requests_get_the_plain_400_page(client, db, caplog):
    """The same handler answers every 400, such as a request for a host the portal does not serve."""
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    caplog.clear()
