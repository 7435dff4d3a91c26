"""The one way our Jinja environments are made: every template lives in generator/templates.

``markup`` environments escape HTML (pages, books, press fragments); text ones write values as
they are (the kits' plain text, a new profile's YAML). Each caller adds its own filters and keeps
its environment for the process, so templates are compiled once, not once per renderer.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.core.labels import KIND_LABELS, LEAD_MANDATE_WORDS, LEVEL_LABELS, STAGE_LABELS, vn_date, vn_number


def new_environment(markup: bool = True) -> Environment:
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=markup, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(vndate=vn_date, number=vn_number)
    env.globals.update(KIND_LABELS=KIND_LABELS, STAGE_LABELS=STAGE_LABELS, LEVEL_LABELS=LEVEL_LABELS,
                       LEAD_MANDATE_WORDS=LEAD_MANDATE_WORDS)
    return env
