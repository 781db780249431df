"""Where every benchmark writes its figures: bench/results/NAME, as indented JSON.

The scripts are run as `python bench/SCRIPT.py`, so this folder is on their import path."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write_json(name: str, data) -> Path:
    """Write `data` to bench/results/`name` and return the file's path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2))
    return path
