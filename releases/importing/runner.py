"""One file in, one report out: what the import command does for each path it is given."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError

from .parser import ParsedRelease, parse_release
from .saving import planned_outcome, save_release
from .text import BadFile, decode

MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass
class FileReport:
    file: str
    status: str  # created, updated, unchanged, failed
    parsed: ParsedRelease | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

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
        text = f"{self.status:<10} {self.file}: {self.parsed.title if self.parsed else ''}"
        return text + "".join(f"\n           warning: {w}" for w in self.warnings)


def collect_files(paths: list[str]) -> tuple[list[Path], list[FileReport]]:
    """The .txt files named or inside the folders named, and a failed report for each bad path."""
    files: list[Path] = []
    problems: list[FileReport] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
            if not found:
                problems.append(
                    FileReport(str(path), "failed", errors=["no .txt files in this folder"])
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(FileReport(str(path), "failed", errors=["no such file or folder"]))
    return files, problems


def import_file(
    path: Path, *, status: str, dry_run: bool = False, force: bool = False
) -> FileReport:
    """Import one file; never raises for a bad file, it reports it."""
    name = str(path)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
        if data is None:
            raise BadFile(f"larger than {MAX_FILE_BYTES // 1024 // 1024} MiB: not a press release")
        parsed = parse_release(decode(data))
    except BadFile as exc:
        return FileReport(name, "failed", errors=[str(exc)])
    except OSError as exc:
        return FileReport(name, "failed", errors=[f"cannot be read: {exc.strerror or exc}"])
    content_hash = hashlib.sha256(data).hexdigest()
    if dry_run:
        outcome = planned_outcome(source_file=path.name, content_hash=content_hash)
        return FileReport(name, outcome, parsed, warnings=list(parsed.warnings))
    try:
        result = save_release(
            parsed, source_file=path.name, content_hash=content_hash, status=status, force=force
        )
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
    return FileReport(name, result.status, parsed, warnings=result.warnings)
