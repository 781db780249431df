"""How any content type is published: states, the visibility rule, the editorial log."""

import datetime
import re
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, F, Lookup, Max, OuterRef, ProtectedError, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.caching import EVERYTHING, edge
from core.text.markdown import render_markdown

from .signals import state_changed


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Language(models.TextChoices):
    EN = "en", _("English")
    RU = "ru", _("Russian")


MAX_SEARCH_TERMS = 8
# A record linked to at most this many items has its links read before its items are sorted
# (`PublishableQuerySet.naming()`): 2,000 lookups are a few milliseconds.
LINKS_READ_FIRST = 2000


class WorkflowError(Exception):
    """A change the user may not make; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = "status"):
        super().__init__(message)
        self.message = message
        self.field = field


def search_terms(query: str) -> list[str]:
    """The words of a visitor's query, without punctuation, capped in number and length."""
    return re.findall(r"\w+", (query or "")[:200])[:MAX_SEARCH_TERMS]


class _EqualsAny(Lookup):
    """`lhs = ANY(rhs)`, rhs an array (PostgreSQL): a condition the planner checks against the
    array once made, never by walking another index (`PublishableQuerySet.naming()`)."""

    lookup_name = "equals_any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def public_condition(through: str = "") -> Q:
    """What a visitor may see, as a condition: published, and its go-live time has passed. For
    items reached through a relation, `through` names it (`"release__"`). (A language version
    never goes live before its original: `Publishable.save()` keeps their times together on
    every path that saves, so no join is needed here.)"""
    return Q(**{f"{through}status": Status.PUBLISHED, f"{through}publish_at__lte": timezone.now()})


def public_at(status, publish_at) -> bool:
    """Whether an item in `status`, going live at `publish_at`, is public now (`is_public` for
    values at hand)."""
    return status == Status.PUBLISHED and publish_at is not None and publish_at <= timezone.now()


def visible_now(status, publish_at) -> bool:
    """Whether an item in `status`, going live at `publish_at`, is on a public address now (its
    page, or its withdrawal note): `addressable()` for values at hand."""
    return (
        status in (Status.PUBLISHED, Status.WITHDRAWN)
        and publish_at is not None
        and publish_at <= timezone.now()
    )


class PublishableQuerySet(models.QuerySet):
    def public(self):
        """What a visitor may see (`public_condition()`)."""
        return self.filter(public_condition())

    def only_with_state(self, *fields: str):
        """Only `fields` and what every item needs wherever it is shown: its state and go-live
        time, its language and language group (for its address and its versions), its slug."""
        return self.only("status", "publish_at", "language", "translation_group", "slug", *fields)

    def scheduled(self):
        """Published items waiting for their go-live time (embargoed until then)."""
        return self.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())

    def withdrawn(self):
        """Items taken down: their URL shows only the public withdrawal note."""
        return self.filter(status=Status.WITHDRAWN, publish_at__lte=timezone.now())

    def addressable(self):
        """What a public URL may still show: public items, and withdrawn ones (their note only)."""
        return self.filter(
            Q(status__in=(Status.PUBLISHED, Status.WITHDRAWN)), publish_at__lte=timezone.now()
        )

    def in_language(self, language: str):
        """The versions written in `language` (each translation is its own record)."""
        return self.filter(language=language)

    def naming(self, field_name: str, record):
        """The items whose many-to-many `field_name` links them to `record` (a person's
        releases: `naming("people", person)`), read in a bounded time however often or
        rarely it is named.

        A list of them in date order, a page at a time, is read by PostgreSQL from the
        listing's index, newest first, each item checked against the links: quick for a record
        named often (the twentieth is found among the first few hundred), and a walk through
        every item for one named a few times long ago (a person named once in an old release:
        67,000 items, 0.4 to 1.8 s). The planner cannot tell the two apart (it estimates every
        person at the average). So a record with at most LINKS_READ_FIRST links has them read
        first, and only its items sorted: on PostgreSQL as `= ANY(ARRAY(...))`, which the
        planner cannot turn back into the walk."""
        field = self.model._meta.get_field(field_name)
        through = field.remote_field.through
        links = through._default_manager.filter(
            **{field.m2m_reverse_field_name(): record}
        ).order_by()  # (a link model's own order would make PostgreSQL read and sort them)
        if links[: LINKS_READ_FIRST + 1].count() > LINKS_READ_FIRST:
            return self.filter(**{field_name: record})
        owners = links.values(field.m2m_field_name())
        if connection.vendor != "postgresql":
            return self.filter(pk__in=owners)
        from django.contrib.postgres.expressions import ArraySubquery

        return self.filter(_EqualsAny(F("pk"), ArraySubquery(owners)))

    def last_change(self):
        """Latest edit of what visitors see (public or withdrawn items), or latest go-live time
        passed (a scheduled item going live changes lists): drafts do not count."""
        edited = self.addressable().aggregate(edited=Max("updated_at"))["edited"]
        went_live = self.public().aggregate(went_live=Max("publish_at"))["went_live"]
        return max((s for s in (edited, went_live) if s), default=None)

    def search(self, query: str):
        """Items matching `query`, best first on PostgreSQL (`matching()`); every word of it,
        anywhere in the text, on SQLite."""
        terms = search_terms(query)
        if not terms:
            return self.none()
        if connection.vendor == "postgresql":
            return self.matching(query)
        matches = Q()
        for term in terms:
            fields = [(f"{name}__icontains", term) for name in self.model.search_fields]
            matches &= Q.create(fields, connector=Q.OR)
        return self.filter(matches)

    def matching(self, query: str):
        """PostgreSQL: items whose stored, GIN-indexed search vector (each item's words stemmed
        in its own language, its names also as written: migration 0026) matches `query`
        (`search_query()`), ranked by weight."""
        from django.contrib.postgres.search import SearchRank

        wanted = search_query(query)
        return (
            self.holding(query)
            .annotate(rank=SearchRank(search_vector_of(self.model), wanted))
            .order_by("-rank", *self.model._meta.ordering)
        )

    def holding(self, query: str):
        """PostgreSQL: the items `query` matches, unranked (for a list in its own order)."""
        return self.annotate(search_vector=search_vector_of(self.model)).filter(
            search_vector=search_query(query)
        )

    def search_top(self, query: str, limit: int) -> list:
        """The `limit` best matches of `query`, in rank order, in a bounded time however common
        its words are. On PostgreSQL the model's newest SEARCH_WINDOW items are looked at first
        (read from the listing's index), and only their matches ranked: a word found `limit`
        times or more there has its best among them. A rarer one is looked for in all items
        through the full-text index, where it has few matches to rank."""
        matches = self.search(query)
        window = self.model.SEARCH_WINDOW
        if connection.vendor != "postgresql" or not search_terms(query) or not window:
            return list(matches[:limit])
        from django.contrib.postgres.expressions import ArraySubquery

        # `= ANY(ARRAY(...))`: the newest window is read first and each of its items checked,
        # where `IN (...)` let the planner read every match from the index (67,000 for a
        # common word) to join them with the window.
        newest = self.order_by(*self.model._meta.ordering).values("pk")[:window]
        best = list(matches.filter(_EqualsAny(F("pk"), ArraySubquery(newest)))[:limit])
        return best if len(best) >= limit else list(matches[:limit])

    def with_excerpts(self, items: list, query: str, field: str, *fallbacks: str) -> list:
        """`items` (a page of search results) each given `excerpt`: its `field` (else the first
        of `fallbacks` with text) around the words of `query`, those words in <mark>, safe to
        show (the text is escaped first). PostgreSQL's headline for the page's items alone, in
        one query; on SQLite the text's opening words."""
        from django.utils.html import conditional_escape
        from django.utils.safestring import mark_safe
        from django.utils.text import Truncator

        if not items:
            return items
        if connection.vendor != "postgresql":
            from core.web.templating import highlight

            terms = search_terms(query)
            names = (field, *fallbacks)
            rows = (
                type(self)(self.model, using=self.db)
                .filter(pk__in=[item.pk for item in items])
                .values_list("pk", *names)
            )
            texts_of = {pk: [t for t in texts if t] for pk, *texts in rows}
            for item in items:
                texts = texts_of.get(item.pk, [])
                holding = [t for t in texts if any(w.lower() in t.lower() for w in terms)]
                text = (holding or texts or [""])[0]
                item.excerpt = highlight(Truncator(text).words(40), terms)
            return items
        from django.contrib.postgres.search import SearchHeadline
        from django.db.models.functions import Coalesce, Concat

        # All the texts, so that the excerpt is where the words stand, whichever holds them.
        text = models.TextField()
        source = Concat(
            *[
                part
                for n in (field, *fallbacks)
                for part in (Coalesce(n, Value(""), output_field=text), Value(" ", text))
            ],
            output_field=text,
        )
        start, stop = "\ue000", "\ue001"  # no text holds these: marks to escape around
        headline = SearchHeadline(
            source,
            search_query(query),
            start_sel=start,
            stop_sel=stop,
            max_words=40,
            min_words=20,
        )
        found = dict(
            type(self)(self.model, using=self.db)
            .filter(pk__in=[item.pk for item in items])
            .annotate(excerpt=headline)
            .values_list("pk", "excerpt")
        )
        for item in items:
            escaped = str(conditional_escape(found.get(item.pk, "")))
            marked = escaped.replace(start, "<mark>").replace(stop, "</mark>")
            item.excerpt = mark_safe(marked)  # noqa: S308 (escaped, then our marks put in)
        return items


def search_vector_of(model):
    """The stored search vector of `model`'s table (migration 0026), named by its table: for the
    query's own table, never inside a subquery (where the table has another alias)."""
    from django.contrib.postgres.search import SearchVectorField

    return RawSQL(f"{model._meta.db_table}.search_vector", [], SearchVectorField())


def search_config(query: str) -> str:
    """The dictionary a query's words are stemmed with: Russian for Cyrillic words, else English
    (an item's own words were stemmed with its language's)."""
    return "russian" if re.search("[а-яА-ЯёЁ]", query or "") else "english"


def search_query(query: str):
    """PostgreSQL's query for what a visitor typed. Quotes, OR and a leading minus as search
    engines read them (`websearch_to_tsquery`); words alone are each stemmed and taken as a
    prefix, in the query's language and as written: "confer" finds "conference" as the visitor
    types, and a declined name its other forms ("Сарыбая" is stemmed "сарыб", "Сарыбай"
    "сарыба")."""
    from django.contrib.postgres.search import SearchQuery

    config = search_config(query)
    if re.search(r'["-]|\bOR\b', query):
        return SearchQuery(query[:200], search_type="websearch", config=config)
    terms = search_terms(query)
    typed = " & ".join(f"{term}:*" for term in terms)
    return SearchQuery(typed, search_type="raw", config=config) | SearchQuery(
        typed, search_type="raw", config="simple"
    )


def linked_from_public(model, *relations: str) -> Q:
    """Rows of `model` that a public item links to through any of `relations` (the reverse
    accessor names, e.g. "releases"): how a person, organisation or topic becomes visible,
    without the model knowing which apps link to it."""
    condition = Q()
    for name in relations:
        relation = model._meta.get_field(name)
        public = relation.related_model.objects.public()
        if relation.many_to_many:
            condition |= _linked_through(relation, public)
        else:
            condition |= Exists(public.filter(**{relation.field.name: OuterRef("pk")}))
    return condition


def _linked_through(relation, public) -> Exists:
    """A row of the link table naming the outer row, whose item is public.

    Written as a walk of this row's links, each checked by primary key: PostgreSQL plans a
    correlated EXISTS with the average number of links per row, so for a contact that one
    release names among contacts that every release names, a join (which it flattens
    "EXISTS ... JOIN" into) walked every public release in date order probing the link table
    (25,000 probes, 80 ms). A scalar subquery is never flattened, so the walk starts from the
    row's own links: at most its number of links, and one for a row that is public at all.
    """
    field = relation.field  # the ManyToManyField, on the linking model (e.g. Release)
    through = relation.through
    item = public.filter(pk=OuterRef(field.m2m_column_name())).order_by().values("pk")[:1]
    return Exists(
        through.objects.filter(**{field.m2m_reverse_field_name(): OuterRef(OuterRef("pk"))})
        .alias(public_item=Subquery(item))
        .filter(public_item__isnull=False)
    )


class VisibleRecordMixin:
    """`seen_by_visitors()` for a record whose QuerySet has `public()`: whether a change to it
    can show anywhere public (the public cache asks before emptying itself)."""

    def seen_by_visitors(self) -> bool:
        return type(self).objects.public().filter(pk=self.pk).exists()


class UsedRecordMixin:
    """A record that releases and events name (a person, an organisation, a topic, a media
    contact, an event): while they do, it cannot be deleted, or their links, their history and
    their pages would lose it. `USED_BY` names the reverse relations that count."""

    USED_BY: tuple[str, ...] = ()
    USES_SHOWN = 20

    def uses(self) -> list:
        """The items that name this record (up to USES_SHOWN of each kind)."""
        if self.pk is None:
            return []
        return [
            item for name in self.USED_BY for item in getattr(self, name).all()[: self.USES_SHOWN]
        ]

    def delete(self, *args, **kwargs):
        uses = self.uses()
        if uses:
            raise ProtectedError(
                f"“{self}” is named by {len(uses)} item(s): merge it into another record or "
                "archive it instead of deleting it.",
                set(uses),
            )
        return super().delete(*args, **kwargs)


def editor_link(**options) -> models.ForeignKey:
    """Which editor did something to an item; kept (as empty) when the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        **options,
    )


class Publishable(models.Model):
    """Editorial state shared by everything a visitor can be shown."""

    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    publish_at = models.DateTimeField(
        verbose_name=_("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "When a published item goes live. A future time schedules it (embargo); "
            "left empty, publishing sets it to now."
        ),
    )
    withdrawal_note = models.TextField(
        verbose_name=_("withdrawal note"),
        blank=True,
        help_text=_("Public explanation shown in place of the text once withdrawn."),
    )
    language = models.CharField(
        verbose_name=_("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.EN,
        db_index=True,
    )
    translation_group = models.UUIDField(
        verbose_name=_("translation group"),
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Items sharing this value are translations of one another."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True, db_index=True)
    created_by = editor_link(verbose_name=_("created by"))
    updated_by = editor_link(verbose_name=_("updated by"))
    submitted_by = editor_link(
        verbose_name=_("submitted by"),
        help_text=_("Who last sent it for review: they may not approve it themselves."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The original this is a translation of (empty for an original)."),
    )
    correction_of = models.ForeignKey(
        "self",
        verbose_name=_("correction of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="proposed_corrections",
        help_text=_(
            "The live item this draft proposes a correction to: a publisher applies it "
            "there (it is never published itself)."
        ),
    )
    text_changed_at = models.DateTimeField(
        verbose_name=_("text changed at"),
        default=timezone.now,
        editable=False,
        help_text=_(
            "Last change to the words (not the state): a translation older than its "
            "original's needs updating."
        ),
    )
    version = models.PositiveIntegerField(
        verbose_name=_("version"),
        default=1,
        help_text=_("Goes up by one on every save; an edit made from an older version is refused."),
    )
    change_notes = GenericRelation("editorial.ChangeNote")

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    TEXT_FIELDS: tuple[str, ...] = ()  # the words a translation follows
    DATE_RANGE: tuple[str, str] = ("", "")  # (first day, last day) field names
    DATE_RANGE_ERROR = ""
    # Markdown source field -> the column keeping its sanitised HTML, rendered on save.
    MARKDOWN_FIELDS: dict[str, str] = {}
    TRANSLATED_FIELDS: tuple[str, ...] = ()  # what a new language version copies (translations)
    TRANSLATED_LINKS: tuple[str, ...] = ()
    # Whether subscribers get mail about this model's items (an "update" of a correction).
    MAILED_TO_SUBSCRIBERS = False
    # Search ranks a very common word among this many of the newest items (`search_top`);
    # 0: always among all (a model with few items).
    SEARCH_WINDOW = 1000

    def save(self, *args, **kwargs):
        if self.translation_of_id is not None:
            self.follow_original()  # a version never goes live before its original
        as_loaded = self._loaded()
        previous = (as_loaded.get("status"), as_loaded.get("publish_at"))
        extra = self.render_markdown_fields()
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            extra.add("version")
            loaded = self._text(as_loaded) if as_loaded else None
            current = self._text()
            if loaded is not None and current is not None and loaded != current:
                self.text_changed_at = timezone.now()
                extra.add("text_changed_at")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)
        self._as_loaded = self._values()
        if previous == (self.status, self.publish_at):
            return
        if public_at(*previous) != self.is_public and edge.edges():
            # Gone from the site (withdrawn, unscheduled, its embargo moved later) or come onto
            # it: the caches in front of the portal hear it at once, not from the worker.
            edge.purge_soon(self.cache_tags() | {EVERYTHING, edge.MEDIA})
        if self.translation_of_id is None:
            # Its language versions follow it, whatever path saved it (each move logged).
            self.carry_to_versions(self.updated_by, *previous)
        state_changed.send(
            sender=type(self),
            item=self,
            previous_status=previous[0],
            previous_publish_at=previous[1],
        )

    def follow_original(self) -> None:
        """A language version goes live with its original or after it, never before: its
        go-live time is moved to the original's when earlier; an original not yet published
        (or withdrawn) keeps its versions off the site. Checked by the workflow (a form error)
        and again by every save."""
        if self.translation_of_id is None or self.status != Status.PUBLISHED:
            return
        original = type(self).objects.get(pk=self.translation_of_id)
        if original.status != Status.PUBLISHED:
            raise WorkflowError(
                gettext(
                    "Its %(language)s original is “%(state)s”: a language version goes live only "
                    "with its original or after it. Publish or schedule the original; its "
                    "versions then follow its go-live time."
                )
                % {
                    "language": original.get_language_display(),
                    "state": original.get_status_display(),
                }
            )
        if original.publish_at > (self.publish_at or timezone.now()):
            self.publish_at = original.publish_at

    def carry_to_versions(self, user, previous_status, previous_publish_at) -> list:
        """The language versions follow this original (called by every save of an original whose
        state or go-live time changed): scheduled (or published) together at its time,
        unscheduled together, withdrawn together. Each move is saved and logged. Returns the
        versions moved."""
        if self.translation_of_id is not None or self.pk is None:
            return []
        A = StateChange.Action
        versions = type(self).objects.filter(translation_of=self)
        reason = f"follows its original “{self}”"
        moved = []
        if self.status == Status.PUBLISHED:
            following = Q(publish_at__lt=self.publish_at)
            if previous_publish_at is not None:
                following |= Q(publish_at=previous_publish_at)
            for version in versions.filter(following, status=Status.PUBLISHED).exclude(
                publish_at=self.publish_at
            ):
                action = A.RESCHEDULED if version.is_scheduled else A.SCHEDULED
                version.publish_at = self.publish_at
                moved.append(version.follow(user, action, Status.PUBLISHED, reason))
        elif previous_status == Status.PUBLISHED and self.status == Status.DRAFT:
            for version in versions.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now()):
                moved.append(version.follow(user, A.UNSCHEDULED, Status.DRAFT, reason))
        elif self.status == Status.WITHDRAWN and previous_status != Status.WITHDRAWN:
            for version in versions.filter(status=Status.PUBLISHED):
                version.withdrawal_note = version.withdrawal_note or self.withdrawal_note
                moved.append(version.follow(user, A.WITHDRAWN, Status.WITHDRAWN, reason))
        return moved

    def follow(self, user, action, to_status: str, reason: str):
        """Move this language version with its original: saved and logged."""
        from_status = self.status
        self.status = to_status
        self.updated_by = user if user and user.is_authenticated else None
        self._history_user = self.updated_by
        self._change_reason = reason
        self.save()
        StateChange.log(user, self, action, from_status, to_status, reason)
        return self

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        item = super().from_db(db, field_names, values, **kwargs)
        # The values as read, which save() compares with (its state, its words, its Markdown):
        # one copy, rather than working those out for every item read (an API page reads 60).
        item._as_loaded = item._values()
        return item

    def _loaded(self) -> dict:
        """Its values as last read or saved ({} for an item never read nor saved)."""
        return self.__dict__.get("_as_loaded") or {}

    def _values(self) -> dict:
        """Its fields' values as they are now (not Django's state, nor the last snapshot)."""
        values = self.__dict__.copy()
        values.pop("_state", None)
        values.pop("_as_loaded", None)
        return values

    # The tag of the public lists that show items of this model ("releases", "events").
    CACHE_LIST_TAG = ""

    def page_tags(self) -> set[str]:
        """What this item's page shows, as cache tags (core.caching): itself and its language
        versions (the switcher); models add their links."""
        return {f"{self._meta.model_name}:{self.pk}", f"group:{self.translation_group}"}

    def cache_tags(self) -> set[str]:
        """What a change to this item purges: the pages that show it (its own, its language
        versions'), the pages that list it (`listing_tags()`: its people's, topics'...), and
        the lists it can appear in (people, organisations and topics appear once public
        content links to them). Not the other pages that merely show the same person."""
        own = {f"{self._meta.model_name}:{self.pk}", f"group:{self.translation_group}"}
        lists = {self.CACHE_LIST_TAG, "people", "organisations", "topics"} - {""}
        return own | lists | self.listing_tags()

    def listing_tags(self) -> set[str]:
        """The tags of the pages that list this item (a person's page lists the releases
        naming them: "person-listing:<pk>"); models add theirs."""
        return set()

    def seen_by_visitors(self) -> bool:
        """Whether visitors can see this item now, as it is or as it was loaded: the saves of a
        draft, or of an item scheduled for later, change nothing they could observe (not even
        when a cached page was made). Its go-live time renews every cached answer then
        (`scheduled_go_live`)."""
        loaded = self._loaded()
        return visible_now(self.status, self.publish_at) or visible_now(
            loaded.get("status"), loaded.get("publish_at")
        )

    @property
    def scheduled_go_live(self):
        """When this item, scheduled, goes live (None otherwise): the public cache starts anew
        then (`core.caching.content_changed()`)."""
        return self.publish_at if self.is_scheduled else None

    def render_markdown_fields(self) -> set[str]:
        """Render each Markdown field whose text changed into its HTML column, once, here:
        pages and API answers show the stored HTML. The names of the columns written."""
        written = set()
        rendered_from = self.__dict__.get("_rendered_from")
        if rendered_from is None:  # as loaded (or saved), or nothing for a new item
            rendered_from = self._loaded()
        for source, target in self.MARKDOWN_FIELDS.items():
            text = self.__dict__.get(source)
            if text is None or (source in rendered_from and rendered_from[source] == text):
                continue
            setattr(self, target, str(render_markdown(text)) if text else "")
            written.add(target)
        self._rendered_from = {f: self.__dict__.get(f) for f in self.MARKDOWN_FIELDS}
        return written

    def _text(self, values=None):
        """The words (in `values`, else as they are now); None when some were not loaded (a
        deferred field)."""
        values = self.__dict__ if values is None else values
        if any(name not in values for name in self.TEXT_FIELDS):
            return None
        return tuple(values[name] for name in self.TEXT_FIELDS)

    def record_revision(self) -> None:
        """Keep a revision of the item as it is now, links included, without moving its
        version on (for a save made of several steps, such as an import)."""
        models.Model.save(self, update_fields=["updated_at"])

    def attached_media(self, kind: str) -> set[int]:
        """The ids of the library's pictures ("image") or documents ("document") this item
        shows (its preview link may fetch them); models with media say."""
        return set()

    def publishing_problems(self) -> list[str]:
        """What keeps this item from being published as it is (checked by the workflow)."""
        return []

    def copy_translation_extras(self, original) -> None:
        """Copy to this new language version what `TRANSLATED_*` cannot name (none here)."""

    def copy_correction_extras(self, source) -> None:
        """Make what `TRANSLATED_*` cannot name (the people named...) as in `source`, for a
        proposed correction and for applying one (none here)."""

    @property
    def original(self):
        return self.translation_of or self

    @property
    def needs_update(self) -> bool:
        """A translation whose original's words changed after its own last change."""
        original = self.translation_of
        return original is not None and original.text_changed_at > self.text_changed_at

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def is_public(self) -> bool:
        return public_at(self.status, self.publish_at)

    def clean(self):
        super().clean()
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.status == Status.WITHDRAWN and not self.withdrawal_note.strip():
            raise ValidationError({"withdrawal_note": "Say publicly why this is withdrawn."})
        first, last = self.DATE_RANGE
        start, end = getattr(self, first, None), getattr(self, last, None) if last else None
        if end and (start is None or end < start):
            raise ValidationError({last: self.DATE_RANGE_ERROR})

    @classmethod
    def publishing_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        """The database's own guard for the states (a subclass adds them to its Meta)."""
        return [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(publish_at__isnull=False),
                name=f"{prefix}_published_has_publish_at",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.WITHDRAWN) | ~Q(withdrawal_note=""),
                name=f"{prefix}_withdrawn_has_note",
            ),
        ]


def publishable_models() -> list[type[Publishable]]:
    """Every concrete publishable model of the installed apps (releases, events...)."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, Publishable)]


class ItemRecord(models.Model):
    """A row about any publishable item (release or event), by content type and id."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    item = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True

    @classmethod
    def for_item(cls, item):
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        )


class ChangeNote(ItemRecord):
    """A public note of a correction made after publication, shown with its date."""

    note = models.TextField(verbose_name=_("note"))
    announce = models.BooleanField(
        _("sent to alert subscribers as an update"),
        default=False,
        help_text=_("The publisher asked for this correction to be mailed to subscribers."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d}: {self.note}"

    @property
    def day(self) -> datetime.date:
        """The day it was written, in Astana (what the page says, in words and in its markup)."""
        return timezone.localdate(self.created_at)

    def seen_by_visitors(self) -> bool:
        item = self.item
        return item is None or item.seen_by_visitors()

    def cache_tags(self) -> set[str]:
        item = self.item
        return item.cache_tags() if item is not None else {"all"}


class StateChange(ItemRecord):
    """The editorial log of a release or event: who submitted, published, withdrew, shared it."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to draft")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        RESCHEDULED = "rescheduled", _("Go-live time changed")
        UNSCHEDULED = "unscheduled", _("Unscheduled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REINSTATED = "reinstated", _("Reinstated")
        PREVIEW_CREATED = "preview_created", _("Preview link created")
        PREVIEW_REVOKED = "preview_revoked", _("Preview link revoked")
        ADVANCE_COPY = "advance_copy", _("Embargoed advance copy sent")
        EMBARGO_CANCELLED = "embargo_cancel", _("“Do not publish” notice sent")

    action = models.CharField(verbose_name=_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        verbose_name=_("from status"), max_length=10, choices=Status.choices, blank=True
    )
    to_status = models.CharField(
        verbose_name=_("to status"), max_length=10, choices=Status.choices, blank=True
    )
    reason = models.TextField(
        verbose_name=_("reason"),
        blank=True,
        help_text=_("Why a publisher approved their own submission, or other detail."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user or 'the system'} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def log(cls, user, item, action, from_status="", to_status="", reason="") -> "StateChange":
        """A move (or another event) in `item`'s editorial log, by `user`."""
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            action=action,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            user=user if user and user.is_authenticated else None,
        )

    @classmethod
    def for_item(cls, item):
        return super().for_item(item).select_related("user")


class Merge(models.Model):
    """A duplicate record merged into another (`editorial.merging.merge()`): where its links
    went, so that what still names it (an old revision being restored) finds the kept one."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.CASCADE
    )
    duplicate_id = models.PositiveBigIntegerField(verbose_name=_("duplicate id"))
    kept_id = models.PositiveBigIntegerField(verbose_name=_("kept id"))
    duplicate_name = models.CharField(verbose_name=_("duplicate name"), max_length=300)
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        indexes = [models.Index(fields=["content_type", "duplicate_id"])]

    def __str__(self):
        return f"{self.duplicate_name} (#{self.duplicate_id}) merged into #{self.kept_id}"


class EditorPreference(models.Model):
    """What one editor chose for their workspace: the admin's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="editor_preference",
    )
    language = models.CharField(
        verbose_name=_("language"), max_length=2, choices=Language.choices, default=Language.EN
    )

    class Meta:
        verbose_name = _("editor preference")
        verbose_name_plural = _("editor preferences")

    def __str__(self):
        return f"{self.user}: {self.get_language_display()}"

    @classmethod
    def language_of(cls, user) -> str:
        found = cls.objects.filter(user=user).values_list("language", flat=True).first()
        return found or Language.EN
