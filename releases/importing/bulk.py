"""New files in bulk: an archive import writes a batch of new releases in a few statements.

`save_release()` (saving.py) is the careful path, one file at a time: it matches the file to
a release already imported, keeps an editor's changes, replaces links. A file that is simply
new (no release has its path, its text or, for an old import, its bare name; no pictures or
documents beside it) needs none of that, and a folder of several thousand of them is what an
archive import is. Those are written here, a batch at a time, in one transaction: the same
fields (`fill`, `fingerprint`), the same links and the same rows the careful path writes (the
editorial log, the revision with its links and its people, the redirect from the old address),
the same signals for the announcements, and the batch's cache tags purged once.

Anything unexpected while writing (a slug or a path another run took meanwhile) rolls the
whole batch back and its files go the careful way, one by one: nothing is half-written.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.caching import EVERYTHING, edge, one_change, saved_in_bulk
from core.text.slugs import Slugs
from editorial import workflow
from editorial.models import StateChange, Status
from editorial.signals import state_changed
from releases.models import Release, ReleasePerson

from .parser import ParsedRelease
from .saving import (
    Known,
    SaveResult,
    fill,
    fingerprint,
    mentions_of,
    publish_time,
    remember_old_address,
    title_of,
)


@dataclass
class NewFile:
    source: str  # its path under the import root
    content_hash: str
    parsed: ParsedRelease


# The links an import sets, by the release's field (topics are the editors').
LINKS = ("organisations", "events", "media_contacts")


def new_only(files: list[NewFile]) -> tuple[list[NewFile], list[NewFile]]:
    """(those of `files` that are simply new, the others): a file whose path, text or bare
    name a release already has, or that another file of the batch could be taken for, goes the
    careful way (after the batch, so it meets the releases the batch made)."""
    sources = {f.source for f in files}
    names = {PurePosixPath(f.source).name for f in files}
    known = Release.objects.filter(
        Q(source_file__in=sources | names) | Q(content_hash__in={f.content_hash for f in files})
    ).values_list("source_file", "content_hash")
    seen_sources, seen_hashes = set(), set()
    for source, content_hash in known:
        seen_sources.add(source)
        seen_hashes.add(content_hash)
    new, other = [], []
    for file in files:
        name = PurePosixPath(file.source).name
        if (
            file.source in seen_sources
            or file.content_hash in seen_hashes
            or (name != file.source and (name in seen_sources or name in sources))
        ):
            other.append(file)
        else:
            new.append(file)
            seen_hashes.add(file.content_hash)  # a second copy of the text in the batch: careful
    return new, other


def save_new(files: list[NewFile], *, status: str) -> dict[str, SaveResult | str]:
    """Create a release for each of `files` (new, per `new_only()`), in one transaction.
    {source: its SaveResult, or why it was not saved (a validation error)}; a file missing
    from it (another run holds it, or has just imported it) is for the careful path. Raises
    DatabaseError with nothing written when the batch cannot be written whole."""
    results: dict[str, SaveResult | str] = {}
    with one_change(), transaction.atomic():
        files = _claim(files)
        made: list[tuple[NewFile, Release]] = []
        slugs = Slugs(Release, [title_of(f.parsed) for f in files], fallback="release")
        for file in files:
            release = _release(file, status, slugs)
            if isinstance(release, str):
                results[file.source] = release
            else:
                made.append((file, release))
        if not made:
            return results
        now = timezone.now()
        Release.objects.bulk_create([release for _file, release in made])
        known = Known([file.parsed for file, _release in made])
        links = {field: [] for field in LINKS}
        mentions = []
        for file, release in made:
            organisations = [known.organisation(o) for o in file.parsed.organisations]
            events = [
                known.event(e, status=status, language=release.language) for e in file.parsed.events
            ]
            contacts = known.media_contacts(file.parsed.media_contacts)
            for field, items in zip(LINKS, (organisations, events, contacts), strict=True):
                links[field] += [(release, item) for item in dict.fromkeys(items)]
            mentions += mentions_of(release, file.parsed, organisations, known)
        through_rows = _link(links)
        bulk_create_with_history(mentions, ReleasePerson, default_date=now)
        _revisions([release for _file, release in made], through_rows, now)
        if status != Status.DRAFT:
            StateChange.objects.bulk_create(_log_entry(release, status) for _file, release in made)
        for file, release in made:
            remember_old_address(file.parsed, release)
            # What a save says of a release come to life (alerts, webhooks).
            state_changed.send(
                sender=Release, item=release, previous_status=None, previous_publish_at=None
            )
            results[file.source] = SaveResult("created", release, list(file.parsed.warnings))
        releases = [release for _file, release in made]
        prefetch_related_objects(releases, "mentions", "organisations", "topics", "events")
        saved_in_bulk(releases)
        public = [release for release in releases if release.is_public]
        if public and edge.edges():  # come onto the site: the edge hears it at once, as a save
            edge.purge_soon(
                set().union(*(r.cache_tags() for r in public)) | {EVERYTHING, edge.MEDIA}
            )
    return results


def _claim(files: list[NewFile]) -> list[NewFile]:
    """The files this run may write now (see `saving._claim()`): on PostgreSQL, those whose
    lock it takes in one statement; another run importing the same folder leaves them."""
    if connection.vendor != "postgresql" or not files:
        return files
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s FROM unnest(%s::text[]) AS s WHERE pg_try_advisory_xact_lock(hashtextextended(s, 0))",
            [[f.source for f in files]],
        )
        claimed = {row[0] for row in cursor.fetchall()}
    # Another run may have written one before this lock: the careful path tells which.
    claimed -= set(
        Release.objects.filter(source_file__in=claimed).values_list("source_file", flat=True)
    )
    return [f for f in files if f.source in claimed]


def _release(file: NewFile, status: str, slugs: Slugs) -> Release | str:
    """The file's release, unsaved and checked, or why it cannot be saved."""
    release = Release(status=status, source_file=file.source, content_hash=file.content_hash)
    fill(release, file.parsed, slugs=slugs)
    if status == Status.PUBLISHED:
        release.publish_at = publish_time(file.parsed)
    release.import_fingerprint = fingerprint(release)
    release._change_reason = f"imported from {file.source}"
    try:
        release.full_clean(exclude=["slug"], validate_constraints=False)
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            return " ".join(exc.messages)
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    release.render_markdown_fields()
    return release


def _link(links: dict[str, list]) -> dict[str, list]:
    """Write the releases' links; {field: the link rows written}."""
    written = {}
    for field, pairs in links.items():
        through = getattr(Release, field).through
        target = getattr(Release, field).field.m2m_reverse_field_name()
        written[field] = through.objects.bulk_create(
            through(release=release, **{target: item}) for release, item in pairs
        )
    return written


def _revisions(releases: list[Release], through_rows: dict[str, list], now) -> None:
    """Each release's first revision, with its links (what restoring it puts back)."""
    history = Release.history.bulk_history_create(releases, default_date=now)
    revision_of = {record.id: record for record in history}
    for field, rows in through_rows.items():
        model = apps.get_model("releases", f"HistoricalRelease_{field}")
        target = getattr(Release, field).field.m2m_reverse_field_name()
        model.objects.bulk_create(
            model(
                history=revision_of[row.release_id],
                id=row.pk,
                release_id=row.release_id,
                **{f"{target}_id": getattr(row, f"{target}_id")},
            )
            for row in rows
        )


def _log_entry(release: Release, status: str) -> StateChange:
    """The editorial log's line for an imported release, as `workflow.log()` writes it."""
    return StateChange(
        content_type=ContentType.objects.get_for_model(Release),
        object_id=release.pk,
        action=workflow.imported_action(status),
        from_status="",
        to_status=status,
        reason=release._change_reason,
    )
