from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _predecessors_changed(sender, action, **kwargs):
    """A changed "came from" link changes the area tree (successors): every process's cached
    tree is stale (cache invalidation like Area.save(), not a domain effect)."""
    if action in ("post_add", "post_remove", "post_clear"):
        from .models import AreaTreeVersion

        AreaTreeVersion.bump()


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("Quartiere")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from .models import Area

        m2m_changed.connect(
            _predecessors_changed,
            sender=Area.predecessors.through,
            dispatch_uid="neighbourhoods-predecessors-version",
        )
