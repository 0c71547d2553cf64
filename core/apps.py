from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import checks, rules  # noqa: F401  (register the database checks and the permissions)

        post_migrate.connect(create_cache_table, sender=self)
        user_logged_in.connect(start_idle_clock, dispatch_uid="core.start_idle_clock")
        connection_created.connect(keep_prepared_plans, dispatch_uid="core.keep_prepared_plans")


def start_idle_clock(sender, request, user, **kwargs):
    """A login starts the session's idle clock (core.middleware.SessionRefreshMiddleware), however it logged in."""
    from .middleware import SessionRefreshMiddleware

    session = getattr(request, "session", None)
    if session is not None:
        SessionRefreshMiddleware.mark(session)


def keep_prepared_plans(sender, connection, **kwargs):
    """A PostgreSQL session runs the statements core.sqlcache prepared with the plan it made once (the values they
    take are ids, which the plan fits whatever they are): left to choose, PostgreSQL kept planning a statement of
    many joins again on every run (4 ms where running it took 2). Only prepared statements are concerned, and
    only core.sqlcache prepares any."""
    from django.conf import settings

    if connection.vendor == "postgresql" and getattr(settings, "SQLCACHE_PREPARE", True):
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")


def create_cache_table(using="default", verbosity=0, **kwargs):
    """The database cache of the embedded mode (settings.CACHES) is created with the schema, wherever migrate runs
    (idempotent; nothing to do when the cache is Redis)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
