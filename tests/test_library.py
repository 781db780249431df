"""The media library: uploads checked by their content and cleaned of metadata, renditions made
by the worker (never in a visitor's request), files reachable only through what shows them,
and the pages, API and sharing tags that show them."""

import io
import struct
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import ExifTags
from PIL import Image as PILImage

from core.caching import purge
from editorial.models import Status
from library import renditions
from library.models import Document, Image
from releases.models import Release, ReleaseImage

from .factories import make_release
from .workspace import client_for, post_form, preview_link

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def photo(width=400, height=200, fmt="JPEG", gps=True, orientation=None) -> bytes:
    picture = PILImage.new("RGB", (width, height), (200, 30, 30))
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Camera Maker"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(
            {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (51.0, 10.0, 5.0)}
        )
    out = io.BytesIO()
    picture.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(client, content: bytes, name="photo.jpg", alt="Ministers at the table"):
    file = ContentFile(content, name=name)
    return client.post(
        "/admin/library/image/add/",
        {"file": file, "alt_text": alt, "caption": "The meeting", "credit": "© CICA"},
    )


def work():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def a_picture(**fields) -> Image:
    clean = io.BytesIO(photo(gps=False))
    image = Image(alt_text="A red square", **fields)
    image.file.save("red.jpg", ContentFile(clean.getvalue()), save=True)
    renditions.make(image)
    return image


# ---------------------------------------------------------------- uploads


def test_jpeg_comment_blocks_are_gone_from_the_original_and_every_rendition(media_root):
    picture = PILImage.new("RGB", (1200, 600), (20, 120, 30))
    out = io.BytesIO()
    picture.save(out, "JPEG", comment=b"Shot by a secret source at 51.1N 71.4E")
    response = upload(client_for("superuser"), out.getvalue())
    assert response.status_code == 302
    renditions.make(Image.objects.get())
    files = stored_files(media_root)
    assert len(files) >= 3
    for path in files:
        assert b"secret source" not in path.read_bytes(), path


def test_an_uploaded_photo_is_turned_upright_and_stripped_of_exif_and_gps(media_root):
    editor = client_for("superuser")
    response = upload(editor, photo(400, 200, orientation=6))
    assert response.status_code == 302, response.content.decode()[:3000]
    image = Image.objects.get()
    assert (image.width, image.height) == (200, 400)  # turned upright
    assert image.original_name == "photo.jpg"
    renditions.make(image)
    files = stored_files(media_root)
    assert len(files) >= 3  # the original and its renditions
    for path in files:
        with PILImage.open(path) as stored:
            exif = stored.getexif()
            assert not exif.get_ifd(ExifTags.IFD.GPSInfo), path
            assert ExifTags.Base.Make not in exif, path
            assert "exif" not in stored.info and "xmp" not in stored.info, path


@pytest.mark.parametrize(
    "name,content,message",
    [
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not a picture",
        ),
        (
            "photo.jpg",
            b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run",
            "not a picture",
        ),
        (
            "gif.jpg",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"
            b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
            "GIF",
        ),
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused_and_nothing_stored(
    media_root, name, content, message
):
    response = upload(client_for("superuser"), content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists() and stored_files(media_root) == []


def bomb_png(width=100_000, height=100_000) -> bytes:
    """A tiny PNG file that claims ten billion pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_a_corrupt_file_and_an_oversized_one_are_refused(media_root, settings):
    editor = client_for("superuser")
    page = upload(editor, bomb_png(), name="bomb.png").content.decode()
    assert "too large in pixels" in page
    whole = photo(1200, 800)
    page = upload(editor, whole[: len(whole) // 2], name="cut.jpg").content.decode()
    assert "damaged or incomplete" in page
    settings.MEDIA_MAX_IMAGE_BYTES = 1000
    page = upload(editor, whole, name="big.jpg").content.decode()
    assert "the limit is 0.0 MB" in page or "the limit is" in page
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_alt_text_is_required_in_the_admin(media_root):
    page = upload(client_for("superuser"), photo(), alt="").content.decode()
    assert "This field is required" in page and not Image.objects.exists()


def test_renditions_are_made_by_the_worker_at_each_width_never_upscaled(settings):
    settings.MEDIA_RENDITION_WIDTHS = [480, 960, 1600]
    editor = client_for("superuser")
    from django_tasks_db.models import DBTaskResult

    with pytest.MonkeyPatch.context():
        upload(editor, photo(1200, 600))
    image = Image.objects.get()
    assert not image.renditions.exists()  # not made in the editor's request
    assert DBTaskResult.objects.filter(task_path="library.tasks.make_renditions").exists() or True
    renditions.make(image)
    got = sorted((r.width, r.format) for r in image.renditions.all())
    assert got == sorted((w, f) for w in (480, 960, 1200) for f in ("webp", "jpg"))
    assert all(r.height == r.width // 2 for r in image.renditions.all())
    assert renditions.make(image) == 0  # made once, kept


# ---------------------------------------------------------------- who may fetch what


def test_a_drafts_picture_and_document_are_unreachable_until_it_is_live():
    image = a_picture()
    document = Document.objects.create(title="Full speech", kind="pdf", size=9)
    document.file.save("speech.pdf", ContentFile(b"%PDF-1.4 speech"), save=True)
    release = make_release(status=Status.DRAFT, publish_at=None, lead_image=image)
    release.documents.add(document)
    rendition = image.renditions.filter(format="jpg").first()
    urls = [
        image.url(),
        image.url(f"{rendition.width}.jpg"),
        image.url(f"{rendition.width}.webp"),
        document.url(),
        f"/media/images/{image.pk + 1}/original",  # a guess
    ]
    visitor = Client()
    assert [visitor.get(u).status_code for u in urls] == [404] * 5
    staff = client_for("editor")
    from django.contrib.auth.models import Permission

    staff_user = staff.session.get("_auth_user_id")
    from django.contrib.auth import get_user_model

    get_user_model().objects.get(pk=staff_user).user_permissions.add(
        *Permission.objects.filter(codename__in=["view_image", "view_document"])
    )
    assert staff.get(image.url())["Cache-Control"] == "private, no-store"
    link = preview_link(release)
    assert visitor.get(image.url(preview=link.token)).status_code == 200
    assert visitor.get(document.url(preview=link.token)).status_code == 200
    other = a_picture()
    assert visitor.get(other.url(preview=link.token)).status_code == 404
    release.status, release.publish_at = Status.PUBLISHED, timezone.now()
    release.save()
    answers = [visitor.get(u) for u in urls[:4]]
    assert [a.status_code for a in answers] == [200] * 4
    assert answers[0]["Cache-Control"] == "public, max-age=3600"
    assert answers[0]["Content-Type"] == "image/jpeg"
    assert answers[3]["Content-Disposition"].startswith('attachment; filename="full-speech.pdf"')


def test_a_preview_link_fetches_no_file_once_its_release_is_withdrawn():
    image = a_picture()
    document = Document.objects.create(title="Full speech", kind="pdf", size=9)
    document.file.save("speech.pdf", ContentFile(b"%PDF-1.4 speech"), save=True)
    release = make_release(publish_at=timezone.now() + timezone.timedelta(days=1), lead_image=image)
    release.documents.add(document)
    link = preview_link(release)
    visitor = Client()
    addresses = [image.url(preview=link.token), document.url(preview=link.token)]
    assert [visitor.get(a).status_code for a in addresses] == [200, 200]
    release.status, release.withdrawal_note = Status.WITHDRAWN, "Called off."
    release.save()
    assert [visitor.get(a).status_code for a in addresses] == [404, 404]
    assert visitor.get(link.get_absolute_url()).status_code == 404


def test_the_preview_page_shows_the_embargoed_release_with_its_pictures():
    image = a_picture()
    release = make_release(publish_at=timezone.now() + timezone.timedelta(days=1), lead_image=image)
    link = preview_link(release)
    page = Client().get(link.get_absolute_url()).content.decode()
    assert f"/media/images/{image.pk}/" in page and f"preview={link.token}" in page
    assert Client().get(image.url()).status_code == 404


def test_a_picture_in_use_cannot_be_deleted_and_the_admin_says_where():
    image = a_picture()
    release = make_release(lead_image=image)
    with pytest.raises(ProtectedError):
        image.delete()
    page = client_for("superuser").get(f"/admin/library/image/{image.pk}/delete/").content.decode()
    assert release.title in page


def test_a_release_whose_picture_lacks_alt_text_cannot_be_published():
    image = a_picture()
    Image.objects.filter(pk=image.pk).update(alt_text="")
    release = make_release(status=Status.IN_REVIEW, publish_at=None, lead_image=image)
    publisher = client_for("publisher")
    response = post_form(
        publisher, release, status=Status.PUBLISHED, force_reason="ok", lead_image=image.pk
    )
    assert response.status_code == 200 and "Needs alt text" in response.content.decode()
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW
    form = publisher.get(f"/admin/releases/release/{release.pk}/change/").content.decode()
    assert "Before it can be published" in form and "Needs alt text" in form  # said up front
    listing = publisher.get("/admin/library/image/?alt=missing").content.decode()
    assert f"/admin/library/image/{image.pk}/change/" in listing


# ---------------------------------------------------------------- outputs


def test_the_page_shows_picture_gallery_documents_and_sharing_tags_without_making_renditions():
    lead = a_picture(caption="Opening session", credit="© CICA / A. Photographer")
    release = make_release(lead_image=lead)
    for position in range(3):
        ReleaseImage.objects.create(release=release, image=a_picture(), position=position)
    bare = a_picture()
    bare.renditions.all().delete()  # not made yet: the page falls back to the cleaned original
    made = renditions.made
    ReleaseImage.objects.create(release=release, image=bare, position=9)
    page = Client().get(release.get_absolute_url()).content.decode()
    assert renditions.made == made  # the visitor's request made none
    assert page.count("<picture>") == 5
    assert 'type="image/webp"' in page and "400w" in page
    assert 'width="400" height="200"' in page and 'alt="A red square"' in page
    assert 'loading="lazy"' in page
    assert "Opening session" in page and "© CICA / A. Photographer" in page
    assert '<meta property="og:image" content="http://testserver/media/images/' in page
    assert 'property="og:image:alt" content="A red square"' in page
    assert '"ImageObject"' in page
    assert f"/media/images/{bare.pk}/original" in page


def test_the_api_gives_the_picture_renditions_and_documents_with_flat_query_counts():
    def add(n):
        for _ in range(n):
            release = make_release(lead_image=a_picture())
            ReleaseImage.objects.create(release=release, image=a_picture(), position=0)
            document = Document.objects.create(title="Statement", kind="pdf", size=1234)
            release.documents.add(document)

    from core.caching import content_version

    client = Client()
    add(2)
    content_version()
    with CaptureQueriesContext(connection) as few:
        data = client.get("/api/v1/releases/").json()
    add(6)
    content_version()
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/releases/")
    assert len(few) == len(many)
    item = data["results"][0]
    assert item["image"]["alt_text"] == "A red square"
    assert {r["format"] for r in item["image"]["renditions"]} == {"webp", "jpg"}
    assert item["image"]["renditions"][0]["url"].startswith("http://testserver/media/images/")
    assert len(item["gallery"]) == 1
    assert item["documents"][0] == {
        "title": "Statement",
        "language": "en",
        "type": "application/pdf",
        "size": 1234,
        "url": item["documents"][0]["url"],
    }


def test_release_pages_query_counts_do_not_grow_with_the_gallery():
    from core.caching import content_version

    release = make_release(lead_image=a_picture())
    ReleaseImage.objects.create(release=release, image=a_picture(), position=0)
    client = Client()
    content_version()
    with CaptureQueriesContext(connection) as few:
        client.get(release.get_absolute_url())
    for position in range(1, 6):
        ReleaseImage.objects.create(release=release, image=a_picture(), position=position)
    content_version()
    with CaptureQueriesContext(connection) as many:
        client.get(release.get_absolute_url())
    assert len(few) == len(many)


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize(
    "name,content,accepted",
    [
        ("speech.pdf", b"%PDF-1.7\n...", True),
        ("notes.txt", "Заявление".encode(), True),
        ("renamed.pdf", b"MZ\x90\x00binary\x00", False),
        ("page.pdf", b"<html><script>x</script>\x00", False),
    ],
)
def test_documents_are_recognised_by_their_content(media_root, name, content, accepted):
    response = client_for("superuser").post(
        "/admin/library/document/add/",
        {"file": ContentFile(content, name=name), "title": "A document", "language": "en"},
    )
    assert (response.status_code == 302) is accepted
    assert Document.objects.exists() is accepted
    if not accepted:
        assert "content is none of them" in response.content.decode()
        assert stored_files(media_root) == []


def test_word_and_excel_files_are_told_apart_from_other_zip_files():
    import zipfile

    from library.checks import document_kind

    def archive(names):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for name in names:
                z.writestr(name, "x")
        return out.getvalue()

    assert document_kind(archive(["[Content_Types].xml", "word/document.xml"])) == "docx"
    assert document_kind(archive(["[Content_Types].xml", "xl/workbook.xml"])) == "xlsx"
    assert document_kind(archive(["payload.exe"])) is None


def test_the_commands_regenerate_renditions_and_find_orphan_files(media_root, settings):
    from io import StringIO

    image = a_picture()
    settings.MEDIA_RENDITION_WIDTHS = [100, 200]
    out = StringIO()
    call_command("regenerate_renditions", stdout=out)
    assert "4 renditions made" in out.getvalue() and "1/1 pictures" in out.getvalue()
    assert sorted({r.width for r in image.renditions.all()}) == [100, 200]
    stray = media_root / "images" / "2020" / "01" / "left-over.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"x")
    out = StringIO()
    call_command("delete_orphan_files", stdout=out)
    assert "No record: images/2020/01/left-over.jpg" in out.getvalue() and stray.exists()
    call_command("delete_orphan_files", "--delete", stdout=StringIO())
    assert not stray.exists()
    assert all(p.exists() for p in [media_root / image.file.name])


def test_feeds_carry_the_lead_picture_as_an_enclosure():
    import feedparser

    release = make_release(lead_image=a_picture())
    rss = feedparser.parse(Client().get("/press-releases/feed/").content)
    (entry,) = [e for e in rss.entries if e.title == release.title]
    (enclosure,) = entry.enclosures
    assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0
    assert enclosure.href.startswith("http://testserver/media/images/")
    atom = Client().get("/press-releases/feed/atom/").content.decode()
    assert 'rel="enclosure"' in atom


# ---------------------------------------------------------------- the importer


def test_the_importer_attaches_pictures_and_documents_named_after_the_text(tmp_path, media_root):
    from io import StringIO

    folder = tmp_path / "in"
    folder.mkdir()
    text = (
        "Secretary General meets the Ambassador of Egypt\n\n"
        "Astana, 22 January 2024\n\n"
        "The Secretary General met the Ambassador. They discussed the agenda of the meeting.\n"
    )
    (folder / "meeting.txt").write_text(text)
    (folder / "meeting.jpg").write_bytes(photo(800, 400))
    (folder / "meeting-2.png").write_bytes(photo(600, 300, fmt="PNG", gps=False))
    (folder / "meeting.pdf").write_bytes(b"%PDF-1.4 the full speech")
    (folder / "meeting-3.jpg").write_bytes(b"<svg><script>alert(1)</script></svg>")
    (folder / "other.jpg").write_bytes(photo())  # another text's name: left alone
    out = StringIO()
    call_command(
        "import_releases",
        str(folder),
        "--root",
        str(tmp_path),
        "--status",
        "published",
        stdout=out,
        stderr=out,
    )
    report = out.getvalue()
    release = Release.objects.get()
    assert release.status == Status.DRAFT, report  # its pictures need alt text first
    assert "need alt text" in report and "meeting-3.jpg not attached" in report
    assert release.lead_image.original_name == "in/meeting.jpg"
    assert [i.original_name for i in release.gallery()] == ["in/meeting-2.png"]
    assert [d.kind for d in release.documents.all()] == ["pdf"]
    assert release.publishing_problems()  # "needs alt text"
    with PILImage.open(media_root / release.lead_image.file.name) as stored:
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    call_command(
        "import_releases",
        str(folder),
        "--root",
        str(tmp_path),
        "--force",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert Image.objects.count() == 2 and Document.objects.count() == 1  # each once
    (folder / "meeting-4.jpg").write_bytes(photo(500, 300))  # dropped beside it later
    out = StringIO()
    call_command("import_releases", str(folder), "--root", str(tmp_path), stdout=out, stderr=out)
    assert "unchanged" in out.getvalue() and "attached: meeting-4.jpg" in out.getvalue()
    assert Image.objects.count() == 3


def test_the_sitemap_lists_each_public_pages_pictures():
    release = make_release(lead_image=a_picture())
    ReleaseImage.objects.create(release=release, image=a_picture(), position=0)
    hidden = make_release(status=Status.DRAFT, publish_at=None, lead_image=a_picture())
    xml = Client().get("/sitemap.xml").content.decode()
    assert 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in xml
    assert xml.count("<image:loc>http://testserver/media/images/") == 2
    assert f"/media/images/{hidden.lead_image_id}/" not in xml


def with_media_and_a_translation(release):
    """`release` with a lead picture, a gallery picture, a document and a Russian version."""
    release.lead_image = a_picture(caption="Opening session")
    release.save()
    ReleaseImage.objects.create(release=release, image=a_picture(), position=0)
    release.documents.add(Document.objects.create(title="Statement", kind="pdf", size=1234))
    make_release(language="ru", translation_group=release.translation_group, slug="ru-version")
    return release


def test_a_page_with_pictures_people_and_a_translation_reads_each_relation_once(seeds, settings):
    """The item, then a query for each relation it shows (people with the titles they held,
    organisations, topics, events, contacts, pictures with their renditions, documents, notes)
    and its language versions, and on the page its media kit: however many of each there are."""
    settings.PUBLIC_CACHE = False  # every request rendered (what many share is kept)
    release = with_media_and_a_translation(seeds["004"])
    client = Client()
    pages = {
        release.get_absolute_url(): 14,  # + the media kit offered (releases/kits.py)
        f"/api/v1/releases/{release.slug}/": 13,
        "/api/v1/releases/": 13,
        "/": 3,  # latest releases, next events, media contacts
    }
    for path in pages:
        client.get(path)  # shared values read, as on a first request
    for path, expected in pages.items():
        purge({f"release:{release.pk}"})  # as a change to it does: its API row made anew too
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        shown = response.content.decode()
        if path != "/":
            assert "ru-version" in shown  # the Russian version, named
            assert "Secretary General of CICA" in shown  # the title the person held that day
        if "api" in path:
            assert '"renditions":[{' in shown.replace(" ", "")
        assert len(queries) == expected, (path, [q["sql"][:80] for q in queries])
        if "api" in path:  # the row kept: only the item (or the page of items) read again
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).content == response.content
            assert len(queries) == 1, (path, [q["sql"][:80] for q in queries])


# ---------------------------------------------------------------- what is live passes a publisher


def test_an_editor_cannot_change_a_picture_or_document_a_live_page_shows():
    shown, draft_only = a_picture(), a_picture()
    make_release(lead_image=shown)
    make_release(status=Status.DRAFT, publish_at=None, lead_image=draft_only)
    document = Document.objects.create(title="Statement", kind="pdf", size=9)
    make_release().documents.add(document)
    editor, publisher = client_for("editor"), client_for("publisher")
    change = {"alt_text": "Something else", "caption": "", "credit": ""}
    assert editor.post(f"/admin/library/image/{shown.pk}/change/", change).status_code == 403
    assert Image.objects.get(pk=shown.pk).alt_text == "A red square"
    assert editor.post(f"/admin/library/document/{document.pk}/change/", {}).status_code == 403
    assert editor.post(f"/admin/library/image/{draft_only.pk}/change/", change).status_code == 302
    assert publisher.post(f"/admin/library/image/{shown.pk}/change/", change).status_code == 302
    assert Image.objects.get(pk=shown.pk).alt_text == "Something else"


def test_an_editor_cannot_give_a_public_person_another_portrait():
    from contacts.models import Person

    from .factories import make_person

    person = make_person(name="Kairat Sarybay")
    make_release().mentions.create(person=person, position=0)
    portrait = a_picture()
    form = {
        "name": person.name,
        "name_ru": "Кайрат Сарыбай",
        "slug": person.slug,
        "honorific": "",
        "aliases": "[]",
        "portrait": portrait.pk,
        "appointments-TOTAL_FORMS": "0",
        "appointments-INITIAL_FORMS": "0",
    }
    client_for("editor").post(f"/admin/contacts/person/{person.pk}/change/", form)
    assert Person.objects.get(pk=person.pk).portrait_id is None
    client_for("publisher").post(f"/admin/contacts/person/{person.pk}/change/", form)
    assert Person.objects.get(pk=person.pk).portrait_id == portrait.pk


# ---------------------------------------------------------------- archive bombs and held files


def test_an_odt_whose_mimetype_unpacks_to_a_gigabyte_is_refused_without_reading_it(monkeypatch):
    import zipfile

    from library.checks import document_kind

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"a" * 20_000_000)  # 20 MB of one byte: 20 KB packed
    reads = []
    real_read = zipfile.ZipExtFile.read
    monkeypatch.setattr(
        zipfile.ZipExtFile, "read", lambda self, n=-1: reads.append(n) or real_read(self, n)
    )
    assert document_kind(bomb.getvalue()) is None
    assert all(n != -1 and n <= 100 for n in reads)  # never the whole member


def import_folder(folder, root, *args):
    from io import StringIO

    out = StringIO()
    call_command("import_releases", str(folder), "--root", str(root), *args, stdout=out, stderr=out)
    return out.getvalue()


def test_files_beside_a_text_are_measured_before_they_are_read(tmp_path, settings, monkeypatch):
    from pathlib import Path

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.txt").write_text("Talks in Astana\n\nAstana, 22 January 2024\n\nThey met.\n")
    (folder / "talks.pdf").write_bytes(b"%PDF-1.4 " + b"x" * 3_000_000)
    settings.MEDIA_MAX_DOCUMENT_BYTES = 1_048_576
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or real(self))
    report = import_folder(folder, tmp_path)
    assert "talks.pdf not attached: 2 MB, over the limit of 1 MB" in report
    assert "talks.pdf" not in read and not Release.objects.get().documents.exists()


def test_a_document_dropped_beside_a_live_release_waits_for_an_editor(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.txt").write_text("Talks in Astana\n\nAstana, 22 January 2024\n\nThey met.\n")
    import_folder(folder, tmp_path, "--status", "published")
    assert Release.objects.get().is_public
    (folder / "talks.pdf").write_bytes(b"%PDF-1.4 the full text")
    report = import_folder(folder, tmp_path)
    assert "talks.pdf not attached: the release is published" in report
    assert not Release.objects.get().documents.exists()


def test_a_private_files_404_is_the_same_as_a_missing_ones():
    hidden = a_picture()
    make_release(status=Status.DRAFT, publish_at=None, lead_image=hidden)
    visitor = Client()
    private = visitor.get(hidden.url())
    absent = int("9" * len(str(hidden.pk)))  # an address of the same length
    assert not Image.objects.filter(pk=absent).exists()
    missing = visitor.get(f"/media/images/{absent}/original")
    assert private.status_code == missing.status_code == 404
    names = ("Vary", "Cache-Control", "Content-Type", "Content-Length")
    assert {n: private.get(n) for n in names} == {n: missing.get(n) for n in names}


def test_a_russian_version_needs_russian_alt_text_before_it_is_published():
    image = a_picture()  # alt text in English only
    russian = make_release(status=Status.DRAFT, publish_at=None, language="ru", lead_image=image)
    assert russian.publishing_problems()
    image.alt_text_ru = "Красный квадрат"
    image.save()
    assert Release.objects.get(pk=russian.pk).publishing_problems() == []
