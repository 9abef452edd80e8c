from importlib import import_module

from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

ADMIN_SKIPPED = {"leaflet", "auditlog"}


def _content_saved(sender, **kwargs):
    """Any saved or deleted row of the portal's own apps makes cached anonymous pages stale
    (cache invalidation, not a domain effect; see quartier.pagecache)."""
    if sender.__module__ == "__fake__":  # historical models in migrations: nothing cached yet
        return
    from quartier.pagecache import CONTENT_APPS, content_changed

    if sender._meta.app_label in CONTENT_APPS:
        content_changed()


def connect_page_cache_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_content_saved, dispatch_uid="quartier-pagecache-save")
    post_delete.connect(_content_saved, dispatch_uid="quartier-pagecache-delete")
    m2m_changed.connect(_content_saved, dispatch_uid="quartier-pagecache-m2m")


class QuartierConfig(AppConfig):
    name = "quartier"
    verbose_name = _("Portal")


class QuartierAdminConfig(SimpleAdminConfig):
    """Django's admin, discovering every app's admin.py except django-leaflet's and
    django-auditlog's.

    django-leaflet's admin module imports GeoDjango, which needs the GDAL library; Quartier
    keeps geometry in JSON fields and has its own map widgets, so it never needs that module.
    django-auditlog's list of log entries is not scoped to areas: staff read the audit log in
    the admin's "Protokoll" (participation.audit) instead.
    The site itself is `quartier.admin_site.QuartierAdminSite` (throttled log-in).
    """

    default_site = "quartier.admin_site.QuartierAdminSite"

    def ready(self):
        super().ready()
        # Here, not in QuartierConfig: with two configs in this module, "quartier" in
        # INSTALLED_APPS gets a plain AppConfig, while this one is always listed.
        connect_page_cache_signals()
        from quartier.pagecache import CONTENT_APPS
        from quartier.text import add_model_text_validators

        add_model_text_validators(CONTENT_APPS)
        for app_config in apps.get_app_configs():
            if app_config.name in ADMIN_SKIPPED or app_config.name.startswith("django_otp"):
                continue  # django-otp's admin would show the apps' keys: see quartier/admin.py
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
