from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, rules  # noqa: F401  (register the database checks and the permissions)

        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(using="default", verbosity=0, **kwargs):
    """The database cache of the embedded mode (settings.CACHES) is created with the schema, wherever migrate runs
    (idempotent; nothing to do when the cache is Redis)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
