"""Who's who pages in the sitemap."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Person


class PersonSitemap(Sitemap):
    """Who's who pages exist in every language (names in Russian on /ru/)."""

    i18n = True
    alternates = True

    def items(self):
        return (
            Person.objects.public()
            .annotate(last_release=Max("releases__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_release


SITEMAPS = {"people": PersonSitemap}
