"""Portrait uploads: verified, re-encoded and renamed before anything is stored.

An upload is refused unless Pillow recognises it as JPEG, PNG or WebP (whatever its name says), it is at
most 5 MB and 40 megapixels. Accepted images are converted to sRGB and re-encoded as JPEG from their
pixels alone, so no metadata survives (EXIF with GPS position, camera and date; XMP; comments; ICC
profiles; any other APPn segment or text chunk), and get a random file name; a square thumbnail is made
beside them.
"""

import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAIN_SIZE = 1200  # longest side of the stored portrait, in pixels
THUMBNAIL_SIZE = 240
ACCEPT = "image/jpeg,image/png,image/webp"


@dataclass
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile


def check_size(upload) -> None:
    """The size limit alone, which needs no decoding: run on every file of an upload before any is opened."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is 5 MB.") % {"size": filesizeformat(upload.size)},
            code="too_large",
        )


def _srgb(image: Image.Image) -> Image.Image:
    """The image in plain sRGB. A photo with its own colour profile (a phone's Display P3, Adobe RGB, a
    CMYK scan) is converted through it, so dropping the profile afterwards does not change its colours."""
    icc = image.info.get("icc_profile")
    if icc:
        try:
            return ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: keep the pixels as they are, like a browser would
    return image.convert("RGB")


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: Pillow writes into a JPEG what the image's `info` carries
    (its comment, for one), so the copy starts with none."""
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _jpeg(image: Image.Image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=name)


def image_process(upload, *, square_thumbnail: bool = True) -> ProcessedImage:
    """Check and re-encode an uploaded image; raises ValidationError with a message for the user."""
    check_size(upload)
    upload.seek(0)
    try:
        # Opening reads only the header, so the pixel count is known before any decoding.
        with Image.open(upload) as probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Only JPEG, PNG or WebP photos are accepted (this file is %(kind)s).") % {"kind": kind},
                    code="format",
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The photo has %(mp)s megapixels; the limit is 40.")
                    % {"mp": round(width * height / 1e6)},
                    code="too_many_pixels",
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as source:
            source.load()
            image = _pixels_only(_srgb(ImageOps.exif_transpose(source)))
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        # Pillow will not even open an image of more than twice MAX_IMAGE_PIXELS (some 179 megapixels): such
        # a photo is refused for its size, as the check above refuses a smaller one, not as unreadable.
        raise ValidationError(
            _("The photo has more than %(mp)s megapixels; the limit is 40.")
            % {"mp": round(2 * Image.MAX_IMAGE_PIXELS / 1e6)},
            code="too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not a photo that can be read (JPEG, PNG or WebP)."), code="invalid"
        ) from error

    stem = uuid.uuid4().hex
    main = image.copy()
    main.thumbnail((MAIN_SIZE, MAIN_SIZE))
    thumb = ImageOps.fit(image, (THUMBNAIL_SIZE, THUMBNAIL_SIZE)) if square_thumbnail else image.copy()
    if not square_thumbnail:
        thumb.thumbnail((THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))
    return ProcessedImage(image=_jpeg(main, f"{stem}.jpg"), thumbnail=_jpeg(thumb, f"{stem}_thumb.jpg"))
