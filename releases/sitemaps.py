"""Sitemap of public pages, for search engines, with each page's other-language versions."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from editorial.translations import public_versions

from .models import Event, EventImage, Release, ReleaseImage, Topic, media_prefetches


class TranslatedItemsSitemap(Sitemap):
    """Releases and events: each language version is its own page; each lists the others as
    `xhtml:link rel="alternate" hreflang`."""

    model = None
    gallery_model = None

    def items(self):
        return (
            self.model.objects.public()
            .only("slug", "language", "translation_group", "updated_at", "lead_image")
            .select_related("lead_image")
            .prefetch_related(*media_prefetches(self.gallery_model))
        )

    def lastmod(self, item):
        return item.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        versions = public_versions(self.model, [url["item"] for url in urls])
        for url in urls:
            item = url["item"]
            base = url["location"][: -len(item.get_absolute_url())]
            # Its pictures, for image search (the sitemap-image extension).
            url["images"] = [base + image_address(image) for image in pictures(item)]
            others = versions.get(item.translation_group, [])
            if len(others) > 1:
                url["alternates"] = [
                    {"lang_code": v.language, "location": base + v.get_absolute_url()}
                    for v in others
                ]
        return urls


def pictures(item) -> list:
    return ([item.lead_image] if item.lead_image_id else []) + item.gallery()


def image_address(image) -> str:
    jpeg = [r for r in image.rendition_list if r.format == "jpg"]
    return image.url(f"{jpeg[-1].width}.jpg" if jpeg else "original")


class ReleaseSitemap(TranslatedItemsSitemap):
    model = Release
    gallery_model = ReleaseImage
    changefreq = "monthly"


class EventSitemap(TranslatedItemsSitemap):
    model = Event
    gallery_model = EventImage
    changefreq = "weekly"


class TopicSitemap(Sitemap):
    """Topic pages exist in every language (names in Russian on /ru/)."""

    i18n = True
    alternates = True

    def items(self):
        return (
            Topic.objects.public()
            .annotate(last_release=Max("releases__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_release


SITEMAPS = {"releases": ReleaseSitemap, "events": EventSitemap, "topics": TopicSitemap}
