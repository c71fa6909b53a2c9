"""Uploaded images are refused by their size in pixels, read from the header, before
anything decodes them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.models import Organization
from statements.models import Signature, Statement
from tests.factories import image_bytes, make_organization, make_statement, png_header_only

pytestmark = pytest.mark.django_db


def image_errors(field: str, content: bytes) -> list[ValidationError]:
    """What checking the model says about an image just uploaded to one of its fields."""
    upload = SimpleUploadedFile("image.png", content, content_type="image/png")
    if field == "hero_image":
        obj = Statement(title="Pictured", slug="pictured", hero_image=upload)
    elif field == "logo":
        obj = Organization(name="Pictured", slug="pictured", logo=upload)
    else:
        obj = Signature(statement=make_statement(), organization=make_organization(), logo=upload)
    try:
        obj.full_clean()
    except ValidationError as error:
        return error.error_dict.get(field.split()[-1], [])
    return []


IMAGE_FIELDS = ["hero_image", "logo", "signature logo"]


@pytest.mark.parametrize("field", IMAGE_FIELDS)
@pytest.mark.parametrize(
    ("size", "said"),
    [
        ((4_100, 4_000), "This image is 4100 × 4000 pixels"),
        ((13_000, 13_000), "This image is 13000 × 13000 pixels"),
        ((20_000, 20_000), "This image is more than 178 million pixels"),
    ],
    ids=["16.4-megapixels", "169-megapixels", "400-megapixels"],
)
def test_an_image_of_more_than_16_megapixels_is_refused(field, size, said):
    [error] = image_errors(field, png_header_only(*size))
    assert error.code == "image_too_many_pixels"
    assert error.messages[0].startswith(f"{said}; the limit is 16 megapixels.")


@pytest.mark.parametrize("field", IMAGE_FIELDS)
def test_an_image_of_16_megapixels_is_accepted(field):
    assert image_errors(field, png_header_only(4_000, 4_000)) == []


def test_a_real_image_is_accepted_and_can_be_read_again():
    upload = SimpleUploadedFile("logo.png", image_bytes(), content_type="image/png")
    organization = Organization(name="Pictured", slug="pictured", logo=upload)
    organization.full_clean()
    organization.save()
    assert organization.logo.read() == image_bytes()
