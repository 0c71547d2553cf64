from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import checks, rules  # noqa: F401  (register the database checks and the permissions)

        post_migrate.connect(create_cache_table, sender=self)
        user_logged_in.connect(start_idle_clock, dispatch_uid="core.start_idle_clock")


def start_idle_clock(sender, request, user, **kwargs):
    """A login starts the session's idle clock (core.middleware.SessionRefreshMiddleware), however it logged in."""
    from .middleware import SessionRefreshMiddleware

    session = getattr(request, "session", None)
    if session is not None:
        SessionRefreshMiddleware.mark(session)


def create_cache_table(using="default", verbosity=0, **kwargs):
    """The database cache of the embedded mode (settings.CACHES) is created with the schema, wherever migrate runs
    (idempotent; nothing to do when the cache is Redis)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
