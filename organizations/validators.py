from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator

image_extensions = FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"])


def validate_upload_size(upload) -> None:
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            "This file is %(size).1f MB; the limit is %(limit)d MB.",
            code="file_too_large",
            params={"size": upload.size / 1024 / 1024, "limit": settings.MAX_UPLOAD_MB},
        )
