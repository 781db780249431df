"""Import throughput: generate N release files, import them new, then again unchanged.

Usage: .venv/bin/python bench/import_bench.py [--files 10000] [--database-url URL]
Uses a fresh SQLite file by default (or the database URL given, which it migrates and fills);
prints files per second for each pass and writes bench/results/import.json.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from releases.importing.dates import MONTH_NAMES_EN  # noqa: E402 (needs the sys.path line above)

PEOPLE = [
    ("Ambassador", "Kairat Sarybay", "Secretary General of CICA"),
    ("Mr.", "Nurlan Akhmetov", "Deputy Executive Director"),
    ("H.E.", "Khaled Emara", "Ambassador of the Arab Republic of Egypt to Kazakhstan"),
    ("Dr.", "Aigerim Seitkali", ""),
]
CITIES = ["Astana", "Almaty", "Minsk", "Geneva", "New Delhi", "Baku", "Tashkent", "Beijing"]
TOPICS = [
    "security",
    "economic cooperation",
    "environmental issues",
    "youth policy",
    "counter-terrorism",
    "digitalisation",
]


def release_text(n: int, rng: random.Random) -> str:
    honorific, name, title = rng.choice(PEOPLE)
    city = rng.choice(CITIES)
    day, month, year = rng.randint(1, 28), rng.choice(MONTH_NAMES_EN), rng.randint(2019, 2025)
    topic = rng.choice(TOPICS)
    paragraphs = [
        "Press Releases",
        f"CICA Secretariat discusses {topic} with partners, release {n}",
        f"{city}, {day} {month} {year} – {honorific} {name}, {title}, took part in the CICA Forum on {topic.title()} "
        f"with representatives of the SCO, the OSCE and the United Nations (UN).",
        *(
            f"Paragraph {i} on {topic}: the participants exchanged views on confidence building measures."
            for i in range(rng.randint(2, 6))
        ),
        "Media Contact:\nAkbota Batyrkhan\nPR Officer\nPhone: +7 (777) 036-26-58",
    ]
    return "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cica-import-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cica_portal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from releases.importing.runner import import_files
    from releases.models import Release

    call_command("migrate", verbosity=0)
    if args.database_url:
        Release.objects.all().delete()
    folder = workdir / "files"
    folder.mkdir()
    rng = random.Random(42)
    for n in range(args.files):
        (folder / f"{n:06d}.txt").write_text(release_text(n, rng), encoding="utf-8")
    files = sorted(folder.iterdir())

    results = {"files": args.files, "database": connection.vendor}
    for label in ("new", "unchanged"):
        started = time.perf_counter()
        statuses: dict[str, int] = {}
        # As the command reads them: a batch at a time, the new ones written together.
        for report in import_files(files, status="published", root=folder):
            statuses[report.status] = statuses.get(report.status, 0) + 1
        elapsed = time.perf_counter() - started
        results[label] = {
            "seconds": round(elapsed, 2),
            "files_per_second": round(len(files) / elapsed, 1),
            "statuses": statuses,
        }
        print(
            f"{label:<10} {len(files)} files in {elapsed:7.2f} s = {len(files) / elapsed:8.1f} files/s  {statuses}"
        )
    from report import write_json  # bench/, the script's own folder

    out = write_json("import.json", results)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
