"""Media library: rendition throughput and what a gallery costs a page.

Usage: .venv/bin/python bench/media_bench.py [--images 5] [--runs 20]

A fresh SQLite file and media folder in a temporary directory. Prints and writes to
bench/results/media.json:
- renditions of a 12-megapixel JPEG (4000 x 3000, photographic noise): all widths in WebP and
  JPEG per image, images per second (one process);
- a release page's server time (public cache off, median of --runs) with a lead picture and a
  gallery of 12 versus the same release with no pictures.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cica-media-bench-"))
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "MEDIA_ROOT": str(folder / "media"),
            "DJANGO_SETTINGS_MODULE": "cica_portal.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_PUBLIC_CACHE": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from PIL import Image as PILImage

    from editorial.models import Status
    from library import renditions
    from library.checks import clean_image
    from library.models import Image
    from releases.models import Release, ReleaseImage

    call_command("migrate", verbosity=0)
    noise = PILImage.effect_noise((4000, 3000), 60).convert("RGB")
    raw = io.BytesIO()
    noise.save(raw, "JPEG", quality=90)
    print(f"source: 4000 x 3000 JPEG, {len(raw.getvalue()) / 1e6:.1f} MB")
    images, clean_times, times = [], [], []
    for n in range(args.images):
        upload = ContentFile(raw.getvalue(), name=f"photo{n}.jpg")
        started = time.perf_counter()
        clean = clean_image(upload)
        clean_times.append(time.perf_counter() - started)
        image = Image(alt_text=f"Photo {n}")
        image.file.save(f"p{n}.{clean.extension}", ContentFile(clean.content), save=True)
        started = time.perf_counter()
        renditions.make(image)
        times.append(time.perf_counter() - started)
        images.append(image)
    per_image = statistics.median(times)
    results = {
        "upload_check_and_clean_s": round(statistics.median(clean_times), 2),
        "renditions_per_image_s": round(per_image, 2),
        "images_per_second": round(1 / per_image, 2),
        "renditions_per_image": images[0].renditions.count(),
    }
    print(
        f"upload check and clean: {results['upload_check_and_clean_s']} s per picture; "
        f"renditions ({results['renditions_per_image']} per picture): "
        f"{results['renditions_per_image_s']} s per picture, {results['images_per_second']} pictures/s"
    )

    # Twelve gallery pictures: the bench's five, reused (the page's cost does not depend on
    # the pixels).
    def release(slug, pictures):
        item = Release.objects.create(
            title=f"Release {slug}",
            slug=slug,
            status=Status.PUBLISHED,
            publish_at=timezone.now(),
            date=timezone.localdate(),
            body="The text. " * 200,
            lead_image=pictures[0] if pictures else None,
        )
        for position, picture in enumerate(pictures[:12]):
            extra = Image(alt_text=f"Gallery {position}")
            extra.file.name = picture.file.name
            extra.width, extra.height = picture.width, picture.height
            extra.save()
            for rendition in picture.renditions.all():
                rendition.pk = None
                rendition.image = extra
                rendition.save()
            ReleaseImage.objects.create(release=item, image=extra, position=position)
        return item

    plain = release("without-pictures", [])
    rich = release("with-gallery", (images * 12)[:12])
    client = Client()
    for name, item in (("without pictures", plain), ("lead picture and 12 in the gallery", rich)):
        url = item.get_absolute_url()
        client.get(url)
        spent = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        results[f"page_ms_{name}"] = round(statistics.median(spent), 1)
        print(
            f"release page, {name}: {results[f'page_ms_{name}']} ms median, {len(response.content)} bytes"
        )
    from report import write_json  # bench/, the script's own folder

    write_json("media.json", results)


if __name__ == "__main__":
    main()
