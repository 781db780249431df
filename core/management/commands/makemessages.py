"""`makemessages` that reads the public site's templates as what they are, Jinja2.

Django's `makemessages` turns every template into text for xgettext with its own template
language's lexer, which finds only `{% translate %}` tags and `_("...")` at the start of a
variable. The public site's templates (`templates/`, core/templating.py) are Jinja2: their
messages are found with Jinja2's parser, wherever a template calls `_`, `gettext` or
`ngettext`, and handed to xgettext as Python calls on the lines the template has them.
Everything else (Python, the admin's and the mails' templates) is read as Django reads it.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from jinja2.ext import extract_from_ast

# The functions core.templating gives templates, as xgettext knows them in Python.
AS_PYTHON = {"_": "gettext", "gettext": "gettext", "ngettext": "ngettext"}


def jinja2_environment(path: str):
    """The Jinja2 environment whose template folders hold `path`, or None. A folder is looked
    for where it is and, when it is in the project, at the same place under the folder
    makemessages runs in (the project's root, or a copy of the project)."""
    where = Path(path).resolve()
    for engine in engines.all():
        if not isinstance(engine, Jinja2):
            continue
        for folder in map(Path, engine.template_dirs):
            places = [folder.resolve()]
            if folder.is_relative_to(settings.BASE_DIR):
                places.append(Path.cwd().resolve() / folder.relative_to(settings.BASE_DIR))
            if any(where.is_relative_to(place) for place in places):
                return engine.env
    return None


def as_gettext_calls(environment, source: str) -> str:
    """`source`'s messages as Python gettext calls, each on its line in the template."""
    lines = [""] * (source.count("\n") + 1)
    found = extract_from_ast(environment.parse(source), tuple(AS_PYTHON), babel_style=False)
    for lineno, function, strings in found:
        call = f"{AS_PYTHON[function]}({', '.join(repr(s) for s in strings)})"
        lines[lineno - 1] += call + "; "
    return "\n".join(lines)


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        environment = jinja2_environment(self.path) if self.is_templatized else None
        if environment is None:
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(as_gettext_calls(environment, source), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
