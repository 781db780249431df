"""The media library on an S3-compatible object store: moto's server on loopback, the same
code path as production (django-storages), files private, visitors sent to signed addresses
that expire, and only for what they may see."""

import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from editorial.models import Status
from library import renditions
from library.models import Image

from .factories import make_release
from .mailsink import free_port
from .test_library import photo, upload
from .workspace import client_for

pytestmark = pytest.mark.django_db
BUCKET = "cica-media-test"


@pytest.fixture
def s3(settings):
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its state per process: each test starts from an empty store.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))  # noqa: S310
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    yield client
    server.stop()


def keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_pictures_go_to_the_object_store_clean_and_are_served_by_signed_addresses(s3):
    response = upload(client_for("superuser"), photo(800, 400))
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    renditions.make(image)
    stored = keys(s3)
    assert image.file.name in stored and len(stored) == 1 + image.renditions.count()
    body = s3.get_object(Bucket=BUCKET, Key=image.file.name)["Body"].read()
    assert b"Camera Maker" not in body and b"Exif" not in body
    release = make_release(status=Status.DRAFT, publish_at=None, lead_image=image)
    visitor = Client()
    assert visitor.get(image.url()).status_code == 404  # no redirect, no address to guess
    release.status, release.publish_at = Status.PUBLISHED, timezone.now()
    release.save()
    answer = visitor.get(image.url("480.webp"))
    assert answer.status_code == 302
    signed = answer["Location"]
    assert "Signature=" in signed or "X-Amz-Signature=" in signed
    assert "Expires=" in signed or "X-Amz-Expires=300" in signed
    with urllib.request.urlopen(signed) as fetched:  # noqa: S310 (loopback)
        assert fetched.read(12)[8:12] == b"WEBP"
    unsigned = signed.split("?")[0]
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(unsigned)  # noqa: S310 (private: the bare address is refused)


def test_a_document_goes_to_the_object_store(s3):
    response = client_for("superuser").post(
        "/admin/library/document/add/",
        {"file": ContentFile(b"%PDF-1.7 text", name="s.pdf"), "title": "Speech", "language": "en"},
    )
    assert response.status_code == 302
    assert len(keys(s3)) == 1 and keys(s3)[0].startswith("documents/")
