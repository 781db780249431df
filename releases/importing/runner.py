"""One file in, one report out: what the import command does for each path it is given."""

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError

from core.validators import text_limit
from editorial.models import Status

from ..models import Release
from . import bulk, media
from .parser import ParsedRelease, parse_release
from .saving import SaveResult, already_imported, planned_outcome, save_release
from .text import BadFile, decode

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass
class FileReport:
    file: str
    status: str  # created, updated, unchanged, failed
    parsed: ParsedRelease | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    known_title: str = ""  # an unchanged file, not parsed again: its release's title

    def as_json(self) -> dict:
        empty = {
            "kind": None,
            "language": None,
            "title": None,
            "date": None,
            "date_end": None,
            "place": None,
            "people": [],
            "organisations": [],
            "events": [],
            "media_contacts": [],
        }
        body = self.parsed.as_json() if self.parsed else empty
        return {
            "file": self.file,
            "status": self.status,
            **body,
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def line(self) -> str:
        """One line for people: status, file, then the title or the error."""
        if self.status == "failed":
            return f"failed     {self.file}: {'; '.join(self.errors)}"
        text = f"{self.status:<10} {self.file}: {self.parsed.title if self.parsed else self.known_title}"
        return text + "".join(f"\n           warning: {w}" for w in self.warnings)


def collect_files(paths: list[str], root: Path) -> tuple[list[Path], list[FileReport]]:
    """The .txt files named or inside the folders named, and a failed report for each bad path.

    Regular files only, inside `root` (the import root): a symbolic link, a device, a FIFO or
    a path that leads out of the root is reported and never read."""
    root = root.resolve()
    files: list[Path] = []
    problems: list[FileReport] = []
    for raw in paths:
        path = Path(raw)
        problem = _refusal(path, root, named=True)
        if problem:
            problems.append(FileReport(str(path), "failed", errors=[problem]))
        elif path.is_dir():
            found, refused = _folder(path, root)
            files.extend(found)
            problems.extend(refused)
        else:
            files.append(path)
    return files, problems


def _folder(folder: Path, root: Path) -> tuple[list[Path], list[FileReport]]:
    entries = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt")
    if not entries:
        return [], [FileReport(str(folder), "failed", errors=["no .txt files in this folder"])]
    found, refused = [], []
    for entry in entries:
        problem = _refusal(entry, root, named=False)
        if problem:
            refused.append(FileReport(str(entry), "failed", errors=[problem]))
        else:
            found.append(entry)
    return found, refused


def _refusal(path: Path, root: Path, *, named: bool) -> str:
    """Why `path` is not imported ("" when it may be): what it is decides, not its name."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "no such file or folder"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return (
            "a symbolic link: not followed (import the file it points to, inside the import root)"
        )
    if not path.resolve().is_relative_to(root):
        return f"outside the import root {root} (set it with --root)"
    if stat.S_ISDIR(info.st_mode):
        return "" if named else "a folder: only the files of the folders named are imported"
    if not stat.S_ISREG(info.st_mode):
        return f"not a regular file ({_kind(info.st_mode)}): only text files are imported"
    return ""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def read_regular_file(path: Path) -> bytes:
    """The file's bytes, refusing (BadFile) anything but a regular file of at most MAX_FILE_BYTES.
    Opened without following a link and without blocking (a FIFO), then checked, so what is
    read is what was checked."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BadFile("a symbolic link: not followed") from None
        raise
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BadFile(
                f"not a regular file ({_kind(info.st_mode)}): only text files are imported"
            )
        if info.st_size > MAX_FILE_BYTES:
            raise BadFile(f"larger than {MAX_FILE_BYTES // 1024 // 1024} MiB: not a press release")
        return file.read(MAX_FILE_BYTES + 1)


def source_name(path: Path, root: Path) -> str:
    """How a release remembers its file: the path under the import root ("a/release.txt")."""
    return path.resolve().relative_to(root.resolve()).as_posix()


@dataclass
class Prepared:
    """A file read and parsed, to be saved."""

    path: Path
    source: str
    content_hash: str
    parsed: ParsedRelease


def prepare(path: Path, *, root: Path, dry_run: bool, imported=None) -> FileReport | Prepared:
    """Read and parse one file: its final report (failed, unchanged, or planned in a dry run),
    or what there is to save. `imported` ({source: (content hash, title)}) answers "imported
    already?" for a batch read at once; without it, the database is asked."""
    name = str(path)
    try:
        problem = _refusal(path, root.resolve(), named=True)
        if problem:
            raise BadFile(problem)
        data = read_regular_file(path)
        source, content_hash = source_name(path, root), _hash(data)
        if dry_run:
            title = None
        elif imported is not None:
            known = imported.get(source)
            title = known[1] if known and known[0] == content_hash else None
        else:
            title = already_imported(source, content_hash)
        if title is not None:  # the same text from the same path: nothing to parse or save
            return FileReport(
                name, "unchanged", known_title=title, warnings=_new_media_beside(path, source)
            )
        text = decode(data)
        parsed = parse_release(text)
        _check_length(parsed, text)
        if parsed.kind == "event" and not dry_run:
            raise BadFile(
                "an event page (“Date:”, “Venue:” lines): enter it as an event in the admin; "
                "it is not imported as a release"
            )
    except BadFile as exc:
        return FileReport(name, "failed", errors=[str(exc)])
    except OSError as exc:
        return FileReport(name, "failed", errors=[f"cannot be read: {exc.strerror or exc}"])
    if dry_run:
        outcome = planned_outcome(source_file=source, content_hash=content_hash)
        return FileReport(name, outcome, parsed, warnings=list(parsed.warnings))
    return Prepared(path, source, content_hash, parsed)


def import_file(
    path: Path,
    *,
    status: str,
    root: Path | None = None,
    dry_run: bool = False,
    force: bool = False,
) -> FileReport:
    """Import one file (under `root`, by default its own folder); never raises for a bad file,
    it reports it."""
    ready = prepare(path, root=root or path.parent, dry_run=dry_run)
    return ready if isinstance(ready, FileReport) else save(ready, status=status, force=force)


def save(ready: Prepared, *, status: str, force: bool) -> FileReport:
    """Save one prepared file the careful way (`save_release()`): its report."""
    path, source, parsed, name = ready.path, ready.source, ready.parsed, str(ready.path)
    warnings = list(parsed.warnings)
    wanted, status = status, _status_for_pictures(path, source, status)
    try:
        result = _save(parsed, source, ready.content_hash, status=status, force=force)
    except ValidationError as exc:
        details = (
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            if hasattr(exc, "error_dict")
            else " ".join(exc.messages)
        )
        return FileReport(name, "failed", parsed, errors=[f"not saved, nothing written: {details}"])
    except DatabaseError as exc:
        return FileReport(
            name, "failed", parsed, errors=[f"not saved, nothing written: database error: {exc}"]
        )
    warnings += [w for w in result.warnings if w not in warnings]
    warnings += _attach_media(path, source, result, held_back=status != wanted)
    return FileReport(name, result.status, parsed, warnings=warnings)


BATCH_SIZE = 100


def import_files(
    paths: list[Path],
    *,
    status: str,
    root: Path,
    dry_run: bool = False,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[FileReport]:
    """Import `paths` (under `root`), a report per file in their order. Files are read a batch
    at a time: one query says which are imported already, and the new ones (no release has
    their path or text, nothing beside them to attach) are written together (`bulk.py`);
    the rest, or a whole batch that cannot be written together, one by one."""
    for batch in _batches(paths, batch_size):
        if dry_run:
            yield from (import_file(p, status=status, root=root, dry_run=True) for p in batch)
            continue
        yield from _import_batch(batch, status=status, root=root, force=force)


BATCH_BYTES = 16 * 1024 * 1024


def _batches(paths: list[Path], size: int) -> Iterator[list[Path]]:
    """`paths` in batches of at most `size` files and BATCH_BYTES of text (a batch's texts
    are held in memory together)."""
    batch, total = [], 0
    for path in paths:
        try:
            length = path.lstat().st_size
        except OSError:
            length = 0  # prepare() reports it
        if batch and (len(batch) == size or total + length > BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(path)
        total += length
    if batch:
        yield batch


def _import_batch(batch: list[Path], *, status: str, root: Path, force: bool):
    sources = []
    for path in batch:
        try:
            sources.append(source_name(path, root))
        except (OSError, ValueError):
            pass  # outside the root: prepare() reports it
    imported = {
        source: (content_hash, title)
        for source, content_hash, title in Release.objects.filter(
            source_file__in=sources
        ).values_list("source_file", "content_hash", "title")
    }
    ready = [prepare(path, root=root, dry_run=False, imported=imported) for path in batch]
    candidates = [
        bulk.NewFile(r.source, r.content_hash, r.parsed)
        for r in ready
        if isinstance(r, Prepared) and not media.siblings(r.path)
    ]
    new, _other = bulk.new_only(candidates) if candidates else ([], [])
    try:
        written = bulk.save_new(new, status=status) if new else {}
    except DatabaseError:
        written = {}  # rolled back whole: each file the careful way
    for r in ready:
        if isinstance(r, FileReport):
            yield r
        elif r.source not in written:
            yield save(r, status=status, force=force)
        elif isinstance(written[r.source], str):
            yield FileReport(
                str(r.path),
                "failed",
                r.parsed,
                errors=[f"not saved, nothing written: {written[r.source]}"],
            )
        else:
            result = written[r.source]
            yield FileReport(str(r.path), result.status, r.parsed, warnings=result.warnings)


def _status_for_pictures(path: Path, source: str, status: str) -> str:
    """New pictures beside the text arrive without alt text: a new release waits as a draft
    (the status of one already imported is not the import's to change)."""
    if status == Status.PUBLISHED and media.new_pictures(path, source):
        return Status.DRAFT
    return status


def _new_media_beside(path: Path, source: str) -> list[str]:
    """An unchanged text may have new pictures or documents beside it (dropped there later)."""
    if not media.siblings(path):
        return []
    release = Release.objects.filter(source_file=source).first()
    return _attach_media(path, source, SaveResult("unchanged", release), held_back=False)


def _attach_media(path: Path, source: str, result, *, held_back: bool) -> list[str]:
    """Attach the files beside the text; what to tell about them."""
    if result.release is None:
        return []
    told = []
    if result.status == "created" and held_back:
        told.append(
            "imported as a draft: its pictures need alt text before it can be published "
            "(Media library)"
        )
    attached, problems = media.attach(path, source, result.release)
    return told + problems + ([f"attached: {', '.join(attached)}"] if attached else [])


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_length(parsed, text: str) -> None:
    """BadFile for a text longer than a release may be (the admin has the same limits)."""
    for part, kind in (("text", "BODY"), ("lead", "LEAD")):
        length = len(parsed.body if part == "text" else parsed.lead)
        limit = text_limit(kind)
        if length > limit:
            raise BadFile(
                f"the {part} is {length:,} characters long; the limit is {limit:,}: split it, "
                "or attach the full text as a document",
                line=text[:limit].count("\n") + 1,  # about where the limit is passed
            )


def _save(parsed, source: str, content_hash: str, *, status: str, force: bool):
    """Save, once more if another run took a slug or a name this one wanted in the meantime."""
    try:
        return save_release(
            parsed, source_file=source, content_hash=content_hash, status=status, force=force
        )
    except IntegrityError:
        return save_release(
            parsed, source_file=source, content_hash=content_hash, status=status, force=force
        )
