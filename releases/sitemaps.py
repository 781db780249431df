"""Sitemap of public pages, for search engines."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from contacts.models import Person

from .models import Event, Release, Topic


class ReleaseSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Release.objects.public().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Event.objects.public().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PersonSitemap(Sitemap):
    def items(self):
        return (
            Person.objects.public()
            .annotate(last_release=Max("releases__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_release


class TopicSitemap(Sitemap):
    def items(self):
        return (
            Topic.objects.public()
            .annotate(last_release=Max("releases__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_release


sitemaps = {
    "releases": ReleaseSitemap,
    "events": EventSitemap,
    "people": PersonSitemap,
    "topics": TopicSitemap,
}
