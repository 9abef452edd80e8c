"""What surveys show on other pages: the running surveys on the home page (one query)."""

from .models import Survey

HOME_SURVEYS = 3


def home_surveys_context(request):
    surveys = list(Survey.objects.running().order_by("ends_on", "pk")[:HOME_SURVEYS])
    return {"running_surveys": surveys} if surveys else None
