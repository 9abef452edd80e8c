from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Beteiligung")

    def ready(self):
        """Each feature registers its own area sections, personal data, located models and split
        hooks in its `hooks.py` — read there what a feature adds to other apps."""
        from .audit import hooks as audit
        from .embeds import hooks as embeds
        from .feedback import hooks as feedback
        from .funds import hooks as funds
        from .ideas import hooks as ideas
        from .measures import hooks as measures
        from .meetings import hooks as meetings
        from .newsletter import hooks as newsletter
        from .offices import hooks as offices
        from .opendata import hooks as opendata
        from .paper import hooks as paper
        from .reports import hooks as reports
        from .subscriptions import hooks as subscriptions
        from .summaries import hooks as summaries
        from .surveys import hooks as surveys

        for feature in (
            ideas,
            meetings,
            feedback,
            funds,
            subscriptions,
            reports,
            audit,
            opendata,
            offices,
            measures,
            newsletter,
            surveys,
            summaries,
            paper,
            embeds,
        ):
            feature.register()
