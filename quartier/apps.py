import logging
from importlib import import_module

from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

ADMIN_SKIPPED = {"leaflet", "auditlog"}
logger = logging.getLogger(__name__)


def _content_saved(sender, **kwargs):
    """Any saved or deleted row of the portal's own apps makes cached anonymous pages stale
    (cache invalidation, not a domain effect; see quartier.pagecache)."""
    if sender.__module__ == "__fake__":  # historical models in migrations: nothing cached yet
        return
    if not getattr(sender, "shown_on_pages", True):  # bookkeeping such as the mail outbox
        return
    from quartier.pagecache import CONTENT_APPS, content_changed

    if sender._meta.app_label in CONTENT_APPS:
        content_changed(tables={sender._meta.db_table})
        _fragments_stale(sender, kwargs)


def _fragments_stale(sender, kwargs):
    """The fragments (quartier.fragments) of the written row's area or app become stale."""
    from quartier import fragments

    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: once, after the change
    instance = kwargs.get("instance")
    if kwargs.get("raw"):  # loaddata: rows of fixtures
        fragments.bump(fragments.ALL)
        return
    model = type(instance) if instance is not None and action is not None else sender
    try:
        scopes = fragments.scopes_for_write(model, instance)
    except Exception:  # the related row is gone (a cascade): everything is stale then
        logger.warning("fragments: no scope for a write of %s", model, exc_info=True)
        scopes = {fragments.ALL}
    fragments.bump(*scopes)


def connect_page_cache_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_content_saved, dispatch_uid="quartier-pagecache-save")
    post_delete.connect(_content_saved, dispatch_uid="quartier-pagecache-delete")
    m2m_changed.connect(_content_saved, dispatch_uid="quartier-pagecache-m2m")


def register_periodic_work():
    """The project's own periodic jobs (apps register theirs in their ready()); the outbox
    sweep runs with every scheduler tick (quartier.jobs)."""
    from datetime import time

    from quartier import jobs

    jobs.periodic("purge-unconfirmed", jobs.Daily(time(3, 15)), jobs.purge_unconfirmed)
    jobs.periodic("prune-outboxes", jobs.Daily(time(3, 45)), jobs.prune_outboxes)


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
        register_periodic_work()
        for app_config in apps.get_app_configs():
            if app_config.name in ADMIN_SKIPPED or app_config.name.startswith("django_otp"):
                continue  # django-otp's admin would show the apps' keys: see quartier/admin.py
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
