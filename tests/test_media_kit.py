"""Media kits: one zip of a public release's or event's originals, documents and words, built by
the worker once per change, offered on the page with its size while it matches the page."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from editorial.models import Status
from library.models import Document, Image
from releases.models import MediaKit, ReleaseImage
from tests.factories import make_release

pytestmark = pytest.mark.django_db(transaction=True)  # the builds are queued on commit


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def work():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def a_picture(caption="Ministers at the table", size=(1600, 1000)) -> Image:
    out = io.BytesIO()
    PILImage.new("RGB", size, (20, 90, 160)).save(out, "JPEG")
    image = Image(alt_text="The ministers", caption=caption, credit="© CICA Secretariat")
    image.file.save("ministers.jpg", ContentFile(out.getvalue()), save=True)
    return image


def a_document() -> Document:
    document = Document(title="Final declaration", kind="pdf")
    document.file.save("declaration.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return document


@pytest.fixture
def release_with_media():
    lead, second = a_picture(), a_picture(caption="The family photo", size=(2400, 1600))
    release = make_release(
        title="Ministers adopt a declaration", slug="declaration", status=Status.DRAFT
    )
    release.lead_image = lead
    release.save()
    ReleaseImage.objects.create(release=release, image=second, position=0)
    release.documents.add(a_document())
    release.status, release.publish_at = Status.PUBLISHED, timezone.now()
    release.save()
    return release


def test_a_public_release_offers_one_zip_of_its_originals_documents_and_words(
    client, release_with_media
):
    page = client.get(release_with_media.get_absolute_url()).content.decode()
    assert "media-kit.zip" not in page  # not built yet: nothing offered
    work()
    kit = MediaKit.objects.get()
    page = client.get(release_with_media.get_absolute_url()).content.decode()
    assert "/press-releases/declaration/media-kit.zip" in page and "ZIP, " in page
    answer = client.get("/press-releases/declaration/media-kit.zip")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="declaration.zip"'
    body = b"".join(answer.streaming_content)
    assert len(body) == kit.size
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = sorted(archive.namelist())
    assert names == [
        "declaration/declaration.txt",
        "declaration/documents/" + release_with_media.document_list[0].download_name,
        "declaration/photos/01-declaration.jpg",
        "declaration/photos/02-declaration.jpg",
    ]
    full = PILImage.open(io.BytesIO(archive.read("declaration/photos/02-declaration.jpg")))
    assert full.size == (2400, 1600)  # the original, not a rendition
    text = archive.read("declaration/declaration.txt").decode()
    assert "Ministers adopt a declaration" in text and "The family photo" in text
    assert "Credit: © CICA Secretariat" in text and "Final declaration" in text


def test_the_kit_is_built_once_per_change_and_follows_a_caption(client, release_with_media):
    work()
    first = MediaKit.objects.get()
    release_with_media.save()  # a save that changes nothing the kit holds... but its version
    work()
    picture = release_with_media.lead_image
    picture.caption = "Ministers at the round table"
    picture.save()
    page = client.get(release_with_media.get_absolute_url()).content.decode()
    assert "media-kit.zip" not in page  # the kit says the old caption: not offered meanwhile
    work()
    kit = MediaKit.objects.get()
    assert kit.fingerprint != first.fingerprint and kit.file.name != first.file.name
    assert not first.file.storage.exists(first.file.name)  # the old zip is gone
    assert (
        "round table"
        in zipfile.ZipFile(kit.file.open("rb")).read("declaration/declaration.txt").decode()
    )
    assert "media-kit.zip" in client.get(release_with_media.get_absolute_url()).content.decode()


def test_no_kit_before_go_live_or_after_a_withdrawal(client, release_with_media):
    work()
    release_with_media.status, release_with_media.withdrawal_note = Status.WITHDRAWN, "Error."
    release_with_media.save()
    assert client.get("/press-releases/declaration/media-kit.zip").status_code == 404
    scheduled = make_release(
        title="Embargoed", slug="embargoed", publish_at=timezone.now() + datetime.timedelta(hours=2)
    )
    scheduled.documents.add(a_document())
    work()
    assert not MediaKit.objects.filter(item_key=f"release:{scheduled.pk}").exists()
    assert client.get("/press-releases/embargoed/media-kit.zip").status_code == 404


def test_a_release_without_media_has_no_kit(client):
    release = make_release(title="Words only", slug="words-only")
    work()
    assert not MediaKit.objects.exists()
    assert client.get("/press-releases/words-only/media-kit.zip").status_code == 404
    assert "media-kit" not in client.get(release.get_absolute_url()).content.decode()
