"""RSS 2.0 and Atom feeds of public releases, for all releases and per topic."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from library.models import with_renditions

from .models import Release, Topic

FEED_SIZE = 30


class ReleaseFeed(Feed):
    """The releases of the page's language: /press-releases/feed/ English, /ru/... Russian."""

    title = gettext_lazy("CICA press releases")
    description = gettext_lazy(
        "Press releases, statements, speeches and news of the CICA Secretariat."
    )

    def link(self):
        return reverse("releases:list")

    def __call__(self, request, *args, **kwargs):
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = get_language()
        return response

    def items(self):
        return (
            Release.objects.public()
            .in_language(get_language())
            .select_related("lead_image")
            .prefetch_related(with_renditions("lead_image__renditions"))
            .order_by("-publish_at")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return mark_safe(item.lead_html or item.body_html)  # noqa: S308 - sanitised when saved

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display()]

    def item_guid(self, item):
        return f"urn:cica:release:{item.pk}"

    def item_enclosures(self, item):
        """The lead picture (its largest JPEG rendition): RSS `enclosure`, Atom
        `link rel="enclosure"`."""
        image = item.lead_image
        jpeg = [r for r in image.rendition_list if r.format == "jpg"] if image else []
        if not jpeg:
            return []
        url = self.request.build_absolute_uri(image.url(f"{jpeg[-1].width}.jpg"))
        return [Enclosure(url, str(jpeg[-1].size), "image/jpeg")]

    item_guid_is_permalink = False


class AtomReleaseFeed(ReleaseFeed):
    feed_type = Atom1Feed
    subtitle = ReleaseFeed.description


class TopicReleaseFeed(ReleaseFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic.objects.public(), slug=slug)

    def title(self, obj):
        return _("CICA press releases: %(topic)s") % {"topic": obj.name_in(get_language())}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return (
            Release.objects.public()
            .in_language(get_language())
            .naming("topics", obj)
            .select_related("lead_image")
            .prefetch_related(with_renditions("lead_image__renditions"))
            .order_by("-publish_at")[:FEED_SIZE]
        )


class AtomTopicReleaseFeed(TopicReleaseFeed):
    feed_type = Atom1Feed
    subtitle = ReleaseFeed.description
