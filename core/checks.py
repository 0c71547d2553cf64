"""System checks of the database the platform runs on (run by ``migrate`` and ``manage.py check --database``)."""

from django.core.checks import Tags, Warning, register
from django.db import connections

from .search import trigram_splits_cjk


@register(Tags.database)
def trigram_locale(app_configs=None, databases=None, **kwargs):
    """pg_trgm drops Chinese characters under the C locale: the search stays correct but no trigram index serves a
    Chinese name, so every such search reads its whole list. Create the database with a UTF-8 ctype."""
    problems = []
    for alias in databases or ():
        if trigram_splits_cjk(connections[alias]) is False:
            problems.append(Warning(
                "pg_trgm drops Chinese characters in this database's locale (LC_CTYPE): searches by Chinese name "
                "cannot use the trigram indexes.",
                hint="Create the database with a UTF-8 ctype, e.g. LC_CTYPE 'C.UTF-8' or 'zh_CN.UTF-8' "
                     "(docs/architecture.md, Lists and search).",
                id="core.W001"))
    return problems
