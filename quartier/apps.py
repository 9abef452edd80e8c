from importlib import import_module

from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class QuartierConfig(AppConfig):
    name = "quartier"
    verbose_name = _("Portal")


class QuartierAdminConfig(SimpleAdminConfig):
    """Django's admin, discovering every app's admin.py except django-leaflet's.

    django-leaflet's admin module imports GeoDjango, which needs the GDAL library; Quartier
    keeps geometry in JSON fields and has its own map widgets, so it never needs that module.
    """

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name != "leaflet" and module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
