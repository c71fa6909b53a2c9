"""Uploads on an S3-compatible object store, against a real one: moto's server, on a port
of its own, spoken to over HTTP as any web machine would."""

import html
import io
import json
import re
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image
from storages.backends.s3 import S3Storage

from config.settings import s3_storage
from organizations.models import Organization
from statements import pdf
from statements.models import Signature, Statement
from statements.services import cosigning
from tests.factories import make_organization, make_statement
from tests.support import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )


def bucket_storage(endpoint: str, bucket: str, **changes) -> dict:
    """The STORAGES entry config/settings.py makes of these S3_* variables."""
    variables = {
        "bucket": bucket,
        "endpoint_url": endpoint,
        "region": "us-east-1",
        "access_key_id": "test-key",
        "secret_access_key": "test-secret",
        "public_url": "",
        "querystring_auth": False,
    }
    storage, _origin = s3_storage(**variables | changes)
    return storage


@pytest.fixture
def bucket(s3_endpoint, settings) -> str:
    """A new bucket, and the site's uploads in it."""
    name = f"jointly-{uuid.uuid4().hex[:12]}"
    s3_client(s3_endpoint).create_bucket(Bucket=name)
    # Anyone may read its files, as the README's policy says (writes need the key).
    s3_client(s3_endpoint).put_bucket_policy(Bucket=name, Policy=public_read(name))
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(s3_endpoint, name)}
    return name


def public_read(bucket: str) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def keys(endpoint: str, bucket: str) -> list[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def stored(endpoint: str, bucket: str, key: str) -> bytes:
    return s3_client(endpoint).get_object(Bucket=bucket, Key=key)["Body"].read()


def png(color: str = "navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(buffer, "PNG")
    return buffer.getvalue()


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


def public_organization(**fields) -> Organization:
    """An organization whose page is public: it signed a published statement."""
    organization = make_organization(**fields)
    statement = make_statement(status=Statement.Status.PUBLISHED)
    Signature.objects.create(
        statement=statement, organization=organization, role=Signature.Role.ISSUER
    )
    return organization


def admin_change(staff_client, organization: Organization, logo: bytes, name: str):
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = {
        "name": organization.name, "short_name": "", "slug": organization.slug, "kind": "ngo",
        "country": "", "website": "", "email": "", "description": "",
        "logo": SimpleUploadedFile(name, logo, content_type="image/png"),
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
    }  # fmt: skip
    return staff_client.post(url, data)


def test_a_logo_uploaded_in_the_admin_lands_in_the_bucket_and_the_page_links_to_it(
    staff_client, client, s3_endpoint, bucket, settings
):
    organization = public_organization(name="Relief Works")

    response = admin_change(staff_client, organization, png(), "relief.png")

    assert response.status_code == 302, response.context["errors"]
    assert keys(s3_endpoint, bucket) == ["logos/relief.png"]
    assert not (settings.MEDIA_ROOT / "logos").exists()
    client.logout()
    page = client.get(organization.get_absolute_url()).content.decode()
    address = f"{s3_endpoint}/{bucket}/logos/relief.png"
    assert f'src="{address}"' in page
    assert download(address) == png()


def test_a_replaced_logo_gets_its_own_name_and_the_page_links_to_the_new_one(
    staff_client, client, s3_endpoint, bucket
):
    organization = public_organization()
    admin_change(staff_client, organization, png("navy"), "logo.png")

    response = admin_change(staff_client, organization, png("red"), "logo.png")

    assert response.status_code == 302, response.context["errors"]
    organization.refresh_from_db()
    assert organization.logo.name.startswith("logos/logo_")
    # Django leaves the old file: a translation or a signature may still name it.
    assert stored(s3_endpoint, bucket, "logos/logo.png") == png("navy")
    assert stored(s3_endpoint, bucket, organization.logo.name) == png("red")
    client.logout()
    page = client.get(organization.get_absolute_url()).content.decode()
    assert f"{s3_endpoint}/{bucket}/{organization.logo.name}" in page
    assert "/logos/logo.png" not in page


def test_signers_logos_of_the_same_name_never_replace_each_other(s3_endpoint, bucket):
    first = default_storage.save("signature-logos/logo.png", ContentFile(png("navy")))
    second = default_storage.save("signature-logos/logo.png", ContentFile(png("red")))

    assert first != second
    assert stored(s3_endpoint, bucket, first) == png("navy")
    assert stored(s3_endpoint, bucket, second) == png("red")


def test_a_deleted_logo_leaves_the_bucket(s3_endpoint, bucket):
    organization = make_organization()
    organization.logo.save("gone.png", ContentFile(png()))
    assert keys(s3_endpoint, bucket) == ["logos/gone.png"]

    organization.logo.delete()

    assert keys(s3_endpoint, bucket) == []
    organization.refresh_from_db()
    assert not organization.logo


def test_two_machines_see_the_same_file(s3_endpoint, bucket):
    # Two web processes: each its own storage, client and connections, one bucket.
    options = bucket_storage(s3_endpoint, bucket)["OPTIONS"]
    one, other = S3Storage(**options), S3Storage(**options)

    name = one.save("statements/hero.png", ContentFile(png()))

    assert other.exists(name)
    with other.open(name) as file:
        assert file.read() == png()
    assert other.url(name) == one.url(name) == f"{s3_endpoint}/{bucket}/{name}"
    other.delete(name)
    assert not one.exists(name)


def test_the_pdf_embeds_the_hero_image_from_the_bucket(client, s3_endpoint, bucket, settings):
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        hero_image=SimpleUploadedFile("hero.png", png(), content_type="image/png"),
    )
    assert keys(s3_endpoint, bucket) == ["statements/hero.png"]
    assert not (settings.MEDIA_ROOT / "statements").exists()

    response = client.get(reverse("statement_pdf", args=[statement.slug]))

    assert response.status_code == 200
    assert b"/Subtype /Image" in response.content
    page = client.get(statement.get_absolute_url()).content.decode()
    assert f'src="{s3_endpoint}/{bucket}/statements/hero.png"' in page


def test_with_signed_addresses_a_private_bucket_serves_the_page_and_the_pdf_stays_cached(
    client, s3_endpoint, settings, monkeypatch
):
    # A bucket nobody may read without a signature: no public policy.
    bucket = f"jointly-private-{uuid.uuid4().hex[:8]}"
    s3_client(s3_endpoint).create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket_storage(s3_endpoint, bucket, querystring_auth=True),
    }
    statement = make_statement(
        status=Statement.Status.PUBLISHED,
        hero_image=SimpleUploadedFile("hero.png", png(), content_type="image/png"),
    )

    page = client.get(statement.get_absolute_url()).content.decode()

    [signed] = re.findall(rf'src="({re.escape(s3_endpoint)}/[^"]+)"', page)
    assert signed.startswith(f"{s3_endpoint}/{bucket}/statements/hero.png?")
    assert download(html.unescape(signed)) == png()
    with pytest.raises(urllib.error.HTTPError) as refused:
        download(f"{s3_endpoint}/{bucket}/statements/hero.png")
    assert refused.value.code == 403
    made_from = []
    render = pdf.pdf_render
    monkeypatch.setattr(
        pdf,
        "pdf_render",
        lambda *, html, made_at="": made_from.append(html) or render(html=html, made_at=made_at),
    )
    first = client.get(reverse("statement_pdf", args=[statement.slug]))
    client.get(reverse("statement_pdf", args=[statement.slug]))
    assert b"/Subtype /Image" in first.content
    # The PDF's HTML names the image by its address on our site, not by a signed URL
    # that changes each time: the HTML the cached PDF is found by stays the same.
    assert made_from[0] == made_from[1]
    assert f'src="{settings.SITE_URL}/media/statements/hero.png"' in made_from[0]


def test_an_approved_signers_logo_is_copied_from_the_bucket_to_the_organization(
    s3_endpoint, bucket, staff
):
    statement = make_statement(status=Statement.Status.PUBLISHED)
    organization = make_organization()
    signature = Signature.objects.create(
        statement=statement,
        organization=organization,
        role=Signature.Role.SIGNATORY,
        state=Signature.State.CONFIRMED,
        signer_email="signer@example.org",
    )
    signature.logo.save("logo.png", ContentFile(png("green")))

    cosigning.signature_approve(signature=signature, by=staff)

    organization.refresh_from_db()
    assert organization.logo.name.startswith("logos/logo")
    assert stored(s3_endpoint, bucket, organization.logo.name) == png("green")


def test_a_public_address_in_front_of_the_bucket_is_what_pages_link_to(s3_endpoint, bucket):
    storage, origin = s3_storage(
        bucket=bucket,
        endpoint_url=s3_endpoint,
        region="",
        access_key_id="test-key",
        secret_access_key="test-secret",
        public_url=f"{s3_endpoint}/{bucket}/",
        querystring_auth=False,
    )
    store = S3Storage(**storage["OPTIONS"])

    name = store.save("logos/cdn.png", ContentFile(png()))

    assert store.url(name) == f"{s3_endpoint}/{bucket}/logos/cdn.png"
    assert origin == s3_endpoint
    assert download(store.url(name)) == png()
