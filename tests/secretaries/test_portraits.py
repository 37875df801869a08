import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from secretaries.models import Person
from secretaries.portraits import image_process
from tests.conftest import jpeg_bytes

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


def upload(data: bytes, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_bytes(size, mode="1") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


def test_accepted_photo_is_reencoded_without_exif_and_renamed():
    processed = image_process(
        upload(jpeg_bytes(size=(2000, 1500), exif_gps=True), name="GPS of my house.jpg")
    )
    image = Image.open(io.BytesIO(processed.image.read()))
    assert image.format == "JPEG"
    assert max(image.size) == 1200
    assert not image.getexif()  # no GPS, no camera maker
    assert "house" not in processed.image.name and processed.image.name.endswith(".jpg")
    thumb = Image.open(io.BytesIO(processed.thumbnail.read()))
    assert thumb.size == (240, 240)


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="XMP-AUTHOR-SECRET"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
# What may remain in a re-encoded JPEG: the JFIF header (APP0), quantisation and Huffman tables, the frame,
# restart interval and the scan. Nothing else: no APP1 (EXIF, XMP), APP2 (ICC), APP13 (IPTC), COM.
PIXEL_SEGMENTS = {0xE0, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD}


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The marker and payload of every segment before the scan."""
    assert data[:2] == b"\xff\xd8"
    segments, at = [], 2
    while data[at + 1] != 0xDA:  # start of scan: entropy-coded data follows
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        segments.append((data[at + 1], data[at + 4 : at + 2 + length]))
        at += 2 + length
    return segments


def test_every_metadata_segment_is_stripped():
    """A JPEG with a comment (COM), XMP, an ICC profile and EXIF: the stored image and thumbnail keep
    only their pixels."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (9.0, 48.0, 0.0), 3: "E", 4: (106.0, 0.0, 0.0)}
    exif[0x010F] = "EXIF-MAKER-SECRET"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 40, 40)).save(
        buffer,
        format="JPEG",
        comment=b"COMMENT-SECRET nha o 12 duong 3/2",
        xmp=XMP,
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
        exif=exif,
    )
    original = buffer.getvalue()
    markers = {marker for marker, _ in jpeg_segments(original)}
    assert {0xFE, 0xE1, 0xE2} <= markers  # the test photo does carry them

    processed = image_process(upload(original))
    for stored in (processed.image.read(), processed.thumbnail.read()):
        for secret in (b"COMMENT-SECRET", b"XMP-AUTHOR-SECRET", b"ns.adobe.com/xap", b"ICC_PROFILE", b"Exif"):
            assert secret not in stored, secret
        segments = jpeg_segments(stored)
        assert {marker for marker, _ in segments} <= PIXEL_SEGMENTS, [hex(m) for m, _ in segments]
        assert [payload[:5] for marker, payload in segments if marker == 0xE0] == [b"JFIF\0"]


def test_png_text_chunks_are_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "PNG-TEXT-SECRET")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), (0, 0, 200)).save(buffer, format="PNG", pnginfo=info)
    stored = image_process(upload(buffer.getvalue(), name="a.png", content_type="image/png")).image.read()
    assert b"PNG-TEXT-SECRET" not in stored and b"XMP-AUTHOR-SECRET" not in stored
    assert {marker for marker, _ in jpeg_segments(stored)} <= PIXEL_SEGMENTS


def test_a_colour_profile_is_applied_before_it_is_dropped():
    """The photo is converted through its profile to sRGB, so its colours survive the loss of the profile;
    an unreadable profile is ignored rather than refusing the photo."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 120, 240)).save(buffer, format="JPEG", icc_profile=srgb.tobytes())
    stored = Image.open(io.BytesIO(image_process(upload(buffer.getvalue())).image.read()))
    assert "icc_profile" not in stored.info
    red, green, blue = stored.getpixel((20, 20))
    assert abs(red - 10) < 8 and abs(green - 120) < 8 and abs(blue - 240) < 8

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 120, 240)).save(buffer, format="JPEG", icc_profile=b"not a profile")
    assert image_process(upload(buffer.getvalue())).image.size > 0


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(fmt):
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 255, 128)).save(buffer, format=fmt)
    assert image_process(upload(buffer.getvalue(), name=f"a.{fmt.lower()}")).image.size > 0


def test_renamed_text_file_is_refused():
    with pytest.raises(ValidationError) as error:
        image_process(upload(b"Day la mot tep van ban, khong phai anh.\n" * 20, name="chan-dung.jpg"))
    assert "không phải ảnh" in " ".join(error.value.messages)


def test_other_image_formats_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="GIF")
    with pytest.raises(ValidationError) as error:
        image_process(upload(buffer.getvalue(), name="a.gif"))
    assert "GIF" in " ".join(error.value.messages)


def test_oversized_file_is_refused():
    big = jpeg_bytes() + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as error:
        image_process(upload(big))
    assert "5 MB" in " ".join(error.value.messages)


def test_too_many_pixels_is_refused_before_decoding():
    with pytest.raises(ValidationError) as error:
        image_process(upload(png_bytes((8000, 6000)), name="bomb.png", content_type="image/png"))
    assert "48" in " ".join(error.value.messages)


def huge_png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of this size, made without Pillow holding its pixels (a 20000×20000
    image compresses to some 100 kB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)  # the filter byte, then the row's bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_for_its_pixels_without_decoding(monkeypatch):
    """QA: a valid 20000×20000 PNG under the byte limit was refused as "not a photo that can be read":
    Pillow refuses to open an image above some 179 megapixels at all. It is refused for its size, still
    without decoding it."""
    data = huge_png(20000, 20000)
    assert len(data) < 5 * 1024 * 1024
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    with pytest.raises(ValidationError) as error:
        image_process(upload(data, name="bomb.png", content_type="image/png"))
    assert error.value.code == "too_many_pixels"
    assert error.value.messages == ["Ảnh có hơn 179 megapixel; giới hạn là 40."]


def test_truncated_image_is_refused():
    with pytest.raises(ValidationError):
        image_process(upload(jpeg_bytes(size=(400, 400))[:300]))


class TestUploadThroughTheForm:
    def test_refused_upload_stores_nothing_and_says_why(self, client, tieu_can_officer, world, settings):
        person = world["tieu_can_person"]
        before = (person.portrait.name, person.portrait_thumbnail.name)
        client.force_login(tieu_can_officer)
        url = reverse("secretaries:person_update", args=[person.pk])
        data = {
            "full_name": person.full_name,
            "gender": "nam",
            "date_of_birth": "01/01/1995",
            "ethnicity": "01",
            "religion": "khong",
            "political_theory_level": "chua_co",
            "phone": person.phone,
            "portrait": upload(b"not an image at all", name="x.png"),
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "không phải ảnh" in str(response.context["form"].errors["portrait"])
        person.refresh_from_db()
        assert (person.portrait.name, person.portrait_thumbnail.name) == before

    def test_replacing_a_portrait_removes_the_old_files(
        self, client, tieu_can_officer, world, django_capture_on_commit_callbacks
    ):
        person = world["tieu_can_person"]
        old = person.portrait.name
        storage = person.portrait.storage
        client.force_login(tieu_can_officer)
        data = {
            "full_name": person.full_name,
            "gender": "nam",
            "date_of_birth": "01/01/1995",
            "ethnicity": "01",
            "religion": "khong",
            "political_theory_level": "chua_co",
            "portrait": upload(jpeg_bytes(color=(0, 128, 0))),
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("secretaries:person_update", args=[person.pk]), data)
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.portrait.name != old and storage.exists(person.portrait.name)
        assert not storage.exists(old)

    def test_portrait_is_served_only_in_scope(self, client, tieu_can_officer, cang_long_officer, world):
        url = reverse("secretaries:person_thumbnail", args=[world["tieu_can_person"].pk])
        client.force_login(tieu_can_officer)
        response = client.get(url)
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
        client.force_login(cang_long_officer)
        assert client.get(url).status_code == 404

    def test_remove_portrait_after_confirmation(self, client, tieu_can_officer, world):
        person = world["tieu_can_person"]
        client.force_login(tieu_can_officer)
        url = reverse("secretaries:person_portrait_remove", args=[person.pk])
        assert client.get(url).status_code == 200
        assert Person.objects.get(pk=person.pk).portrait
        client.post(url)
        assert not Person.objects.get(pk=person.pk).portrait
