"""Corpus score: how many of the hand-annotated fields the importer gets right.

Usage:

    .venv/bin/python bench/corpus_score.py [--corpus tests/corpus] [--json] [--details]

It runs `import_releases --dry-run --json` over the corpus (20 real pages of the Secretariat's
website with `expected.json`, see tests/corpus/README.md) against a throwaway SQLite database,
and scores each field as the corpus README's annotations intend:

- title: right when equal after folding case, punctuation and spaces, or within two characters;
  right when none is expected and none is given;
- date, date_end: right when the ISO date starts with the expected value (`2024-06`), or when
  none is expected and none is given;
- place: right on the city (none expected: none given);
- people: the share of expected people found (by surname, in any spelling or case form);
- organisations: the share of expected ones found (by acronym, or by name);
- kind, language: exact.

It prints a table of per-field accuracy, the overall share (every field check and every expected
person and organisation counts one), and the people and organisations found that the
annotation does not have (extras: each would be a wrong page). `--json` prints the figures as
JSON (the test's ratchet reads them).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELDS = ("title", "date", "date_end", "place", "kind", "language", "people", "organisations")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[\W_]+", "", text)


def near(a: str, b: str) -> bool:
    """Equal after folding, or at most two characters apart."""
    a, b = fold(a), fold(b)
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 2


def stem(word: str) -> str:
    """A surname's key, whatever its spelling or Russian case ending."""
    from releases.importing.people import person_key

    return person_key(word)[0]


def person_found(expected: dict, found: list[dict]) -> bool:
    surname = stem(expected["name"].split()[-1])
    names = [p["name"] for p in found] + [a for p in found for a in p.get("aliases", [])]
    return any(stem(n.split()[-1]) == surname for n in names if n.split())


def organisation_found(expected: dict, found: list[dict]) -> bool:
    acronym, name = expected.get("acronym"), expected.get("name")
    forms = [expected.get("as_written"), *(expected.get("also_written") or []), name]
    for org in found:
        acronyms = [org.get("acronym"), org.get("acronym_ru")]
        if acronym and any(a and fold(a) == fold(acronym) for a in acronyms):
            return True
        names = [n for n in (org.get("name"), org.get("name_ru")) if n]
        if any(f and same_name(n, f) for f in forms for n in names):
            return True
    return False


def same_name(found: str, expected: str) -> bool:
    """Near, or the expected name whole inside the found one ("CICA Business Council" for
    "Business Council")."""
    return near(found, expected) or (
        len(fold(expected)) >= 8
        and re.search(rf"(?<!\w){re.escape(expected.casefold())}(?!\w)", found.casefold())
        is not None
    )


def score_file(expected: dict, kind: str, language: str, out: dict) -> dict:
    """{field: (right, checked)} and the extra people and organisations found."""
    e = expected
    place = (out.get("place") or {}).get("city") or None
    want_place = (e.get("place") or {}).get("city") or None
    result = {
        "title": (
            (near(out.get("title") or "", e["title"]) if e["title"] else not out.get("title")),
            1,
        ),
        "date": (_date_right(out.get("date"), e["date"]), 1),
        "date_end": (_date_right(out.get("date_end"), e["date_end"]), 1),
        "place": ((near(place or "", want_place) if want_place else not place), 1),
        "kind": (out.get("kind") == kind, 1),
        "language": (out.get("language") == language, 1),
        "people": (sum(person_found(p, out["people"]) for p in e["people"]), len(e["people"])),
        "organisations": (
            sum(organisation_found(o, out["organisations"]) for o in e["organisations"]),
            len(e["organisations"]),
        ),
    }
    extras = {
        "people": [
            p["name"]
            for p in out["people"]
            if not person_found(
                p,
                [{"name": x["name"]} for x in e["people"]]
                + [{"name": a} for x in e["people"] for a in [x.get("as_written")] if a],
            )
        ],
        "organisations": [
            o.get("acronym") or o.get("name")
            for o in out["organisations"]
            if not any(organisation_found(x, [o]) for x in e["organisations"])
        ],
    }
    return {
        "fields": {k: (int(bool(r)) if c == 1 else r, c) for k, (r, c) in result.items()},
        "extras": extras,
    }


def _date_right(given: str | None, expected: str | None) -> bool:
    if expected is None:
        return given is None
    return bool(given) and given.startswith(expected)


def run_importer(corpus: Path) -> dict[str, dict]:
    """The importer's --dry-run --json output per file, on a throwaway database."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/corpus.sqlite3",
            "DJANGO_SETTINGS_MODULE": "cica_portal.settings",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        done = subprocess.run(
            [*manage, "import_releases", str(corpus), "--root", str(corpus), "--dry-run", "--json"],
            env=env,
            capture_output=True,
            text=True,
        )
    return reports(done.stdout)


def reports(output: str) -> dict[str, dict]:
    """`import_releases --json` output read per file name."""
    found = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return {Path(r["file"]).name: r for r in found}


def score(corpus: Path, outputs: dict[str, dict] | None = None) -> dict:
    """The figures for `corpus`; `outputs` (from `reports()`) when the importer was already run
    (the test runs it on its own test database)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cica_portal.settings")
    django.setup()
    annotations = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))
    if outputs is None:
        outputs = run_importer(corpus)
    totals = {f: [0, 0] for f in FIELDS}
    extras = {"people": [], "organisations": []}
    files = {}
    for item in annotations:
        out = outputs.get(item["file"])
        if out is None or out["status"] == "failed":
            out = {"people": [], "organisations": []}
        scored = score_file(item["expected"], item["kind"], item["language"], out)
        files[item["file"]] = scored
        for field, (right, checked) in scored["fields"].items():
            totals[field][0] += right
            totals[field][1] += checked
        for kind in extras:
            extras[kind] += [f"{item['file']}: {x}" for x in scored["extras"][kind]]
    right = sum(r for r, _ in totals.values())
    checked = sum(c for _, c in totals.values())
    return {
        "fields": {f: round(r / c, 4) if c else 1.0 for f, (r, c) in totals.items()},
        "counts": {f: {"right": r, "checked": c} for f, (r, c) in totals.items()},
        "overall": round(right / checked, 4),
        "extras": {k: len(v) for k, v in extras.items()},
        "extra_names": extras,
        "files": files,
        # Each page's share of right fields (a person or an organisation counts as one each).
        "pages": {
            name: round(
                sum(r for r, _c in scored["fields"].values())
                / max(1, sum(c for _r, c in scored["fields"].values())),
                4,
            )
            for name, scored in files.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--details", action="store_true", help="what each file got wrong")
    args = parser.parse_args()
    result = score(args.corpus)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "files"}, ensure_ascii=False))
        return
    print(f"{'field':<15}{'right':>8}{'checked':>9}{'share':>8}")
    for field in FIELDS:
        c = result["counts"][field]
        print(f"{field:<15}{c['right']:>8}{c['checked']:>9}{result['fields'][field]:>8.1%}")
    print(f"{'overall':<32}{result['overall']:>8.1%}")
    lowest = min(result["pages"], key=result["pages"].get)
    print(f"{'lowest page':<32}{result['pages'][lowest]:>8.1%}  ({lowest})")
    print(
        f"extras found: {result['extras']['people']} people, "
        f"{result['extras']['organisations']} organisations"
    )
    for kind, names in result["extra_names"].items():
        for name in names:
            print(f"  extra {kind[:-1] if kind == 'organisations' else 'person'}: {name}")
    if args.details:
        for name, scored in result["files"].items():
            wrong = [f for f, (r, c) in scored["fields"].items() if r < c]
            print(f"{name}: wrong {wrong}")


if __name__ == "__main__":
    main()
