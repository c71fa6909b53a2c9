import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

image_extensions = FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"])


def validate_upload_size(upload) -> None:
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size).1f MB; the limit is %(limit)d MB."),
            code="file_too_large",
            params={"size": upload.size / 1024 / 1024, "limit": settings.MAX_UPLOAD_MB},
        )


def validate_image_pixels(upload) -> None:
    """Refuse an image of more than MAX_IMAGE_PIXELS, reading only its header.

    A small file can hold a huge picture: a 684 KB PNG of 13,000 by 13,000 pixels
    takes 2 GB and seconds of CPU to decode, in the form that resizes it, in the
    PDF and in every browser. An image stored earlier was checked when it came.
    """
    if getattr(upload, "_committed", False):
        return
    try:
        # Pillow only warns below twice its own limit, and refuses above it without
        # telling the size; ours is lower.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        width = height = None
    except (UnidentifiedImageError, OSError, ValueError):
        return  # not an image at all: the image field or the form says so
    finally:
        upload.seek(0)
    limit = settings.MAX_IMAGE_PIXELS
    if width is None or width * height > limit:
        raise ValidationError(
            _(
                "This image is %(size)s pixels; the limit is %(limit)d megapixels. "
                "Please upload a smaller version."
            ),
            code="image_too_many_pixels",
            params={
                "size": f"{width} × {height}"
                if width
                else gettext("more than %(millions)d million")
                % {"millions": 2 * Image.MAX_IMAGE_PIXELS // 1_000_000},
                "limit": limit // 1_000_000,
            },
        )
