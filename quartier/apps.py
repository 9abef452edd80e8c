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


def _area_leaving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a row of the portal's apps that belongs to an area is saved again: note the area
    it leaves, if it moves (the pages of both areas showed or will show it; see
    fragments.scopes_for_write). One small query per update of such a row."""
    from quartier import fragments
    from quartier.pagecache import CONTENT_APPS

    if raw or instance._state.adding or instance.pk is None:
        return
    if sender._meta.app_label not in CONTENT_APPS or sender.__module__ == "__fake__":
        return
    field = next((f for f in sender._meta.concrete_fields if f.name == "area"), None)
    if field is None or not field.many_to_one:
        return
    if update_fields is not None and not {"area", "area_id"} & set(update_fields):
        return
    old = sender._base_manager.filter(pk=instance.pk).values_list("area_id", flat=True).first()
    if old is not None and old != instance.area_id:
        setattr(instance, fragments.OLD_AREA_ATTRIBUTE, old)
    elif hasattr(instance, fragments.OLD_AREA_ATTRIBUTE):
        delattr(instance, fragments.OLD_AREA_ATTRIBUTE)


def connect_page_cache_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    pre_save.connect(_area_leaving, dispatch_uid="quartier-fragments-area-leaving")
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
