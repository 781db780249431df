"""Django's template language against Jinja2 on the people list's rows, same output, same data.

Usage (the database filled by `generate_demo_data`; Jinja2 is a development dependency in
pyproject.toml, for this script, not one of the portal's):

    .venv/bin/python bench/template_engines.py [--runs 300]

The public pages' remaining cold-path time is mostly template rendering (the people page's 100
rows are two thirds of its time, a release page's half), and issue #17 asks for another engine
to be measured before it is chosen. This renders the loop of `contacts/person_list.html` over
the same 100 people (their titles loaded) with both engines, checks that the two give the same
text, and times them in turn in one process (A, B, A...: this machine's speed drifts). The
filters are the portal's own functions in both. Only the loop: the base layout and the rest of
the page would move with it in a real change.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cold_path import setup  # noqa: E402 (bench/, this script's folder)

ROOT = Path(__file__).resolve().parent.parent


def loop_of_the_page() -> tuple[str, str]:
    """The people list's `<ul>` as the page has it (Django's syntax), and the same in Jinja2's:
    a method called with `()`, `{% empty %}` as `{% else %}`, `{% translate %}` as `gettext()`
    (Django's, a global); the filters are registered, not loaded."""
    page = (ROOT / "templates" / "contacts" / "person_list.html").read_text()
    start = page.index('<ul class="people">')
    loop = page[start : page.index("</ul>", start) + len("</ul>")]
    jinja = loop.replace(".get_absolute_url }}", ".get_absolute_url() }}")
    jinja = jinja.replace("{% empty %}", "{% else %}")
    jinja = re.sub(r'\{% translate ("[^"]*") %\}', r"{{ gettext(\1) }}", jinja)
    return "{% load i18n portal %}" + loop, jinja


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cica_bench")
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    setup(args.database_url)

    import jinja2
    from django.template import engines
    from django.utils import translation
    from django.utils.translation import gettext

    from contacts.models import Person
    from core.templatetags.portal import current_title, local_name

    people = list(Person.objects.public().with_public_appointments().order_by("name")[:100])
    django_loop, jinja_loop = loop_of_the_page()
    django_template = engines["django"].from_string(django_loop)
    environment = jinja2.Environment(autoescape=True)
    environment.filters.update(local_name=local_name, current_title=current_title)
    environment.globals["gettext"] = gettext
    jinja_template = environment.from_string(jinja_loop)
    translation.activate("en")
    context = {"people": people}
    same = django_template.render(context) == jinja_template.render(context)
    times = {"django": [], "jinja2": []}
    for run in range(args.runs):
        order = ("django", "jinja2") if run % 2 == 0 else ("jinja2", "django")
        for name in order:
            template = django_template if name == "django" else jinja_template
            started = time.perf_counter()
            template.render(context)
            times[name].append((time.perf_counter() - started) * 1000)
    medians = {name: statistics.median(t[10:]) for name, t in times.items()}
    print(f"{len(people)} people; the same text from both: {same}")
    for name, median in medians.items():
        print(f"{name:<8} {median:6.2f} ms median")
    print(f"jinja2 / django: {medians['jinja2'] / medians['django']:.2f}")


if __name__ == "__main__":
    main()
