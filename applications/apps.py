from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self):
        from core import dashboard, navigation
        from core.audit import register_note_formats

        from . import credit, jobs, notifications, reminders, rules  # noqa: F401  (subscribers, credit screening, jobs, reminders, permissions)
        from .audit_notes import NOTE_FORMATS
        from .dashboard import application_dashboard
        from .matching import matching_dashboard

        navigation.register(_("Apply"), "applications:apply", "applications.apply", order=10)
        navigation.register(_("My applications"), "applications:list", "applications.list_own_applications", order=11)
        navigation.register(_("Application intake"), "applications:list", "applications.intake", order=10)
        navigation.register(_("Applications"), "applications:list", "applications.view_all_applications", order=10)
        navigation.register(_("Annual calls"), "applications:calls", "applications.manage_calls", order=11)
        dashboard.register(application_dashboard)
        dashboard.register(matching_dashboard)
        navigation.register(_("Enterprises to contact"), "applications:invitations_to_contact",
                            "applications.contact_invited", order=12)
        register_note_formats(NOTE_FORMATS)
        from django.db.models.signals import post_delete, post_migrate, post_save

        from accounts.models import County

        from .duplicates import application_saved, attachment_saved
        from .models import Application, Attachment, Category, Round
        from .selectors import clear_filter_menus
        from .tally import migrated

        post_migrate.connect(migrated, sender=self, dispatch_uid="tally-triggers")
        # a saved status, declared subsidy, enterprise, call or category brings the duplicate flags up to date
        post_save.connect(application_saved, sender=Application, dispatch_uid="duplicates-application-save")
        post_save.connect(attachment_saved, sender=Attachment, dispatch_uid="duplicates-attachment-save")
        for model in (Category, Round, County):
            post_save.connect(clear_filter_menus, sender=model, dispatch_uid=f"menus-save-{model.__name__}")
            post_delete.connect(clear_filter_menus, sender=model, dispatch_uid=f"menus-delete-{model.__name__}")
