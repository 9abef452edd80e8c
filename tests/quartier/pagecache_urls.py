"""The portal's URLs plus a few views that show what the page cache does with odd pages."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from neighbourhoods.models import Area
from quartier.urls import handler404, handler500  # noqa: F401
from quartier.urls import urlpatterns as portal_urlpatterns


def conditional(request):
    """Asks for `b` only when `a` is 1: a parameter the key learns only on the way."""
    text = f"a={request.GET.get('a', '')}"
    if request.GET.get("a") == "1":
        text += f" b={request.GET.get('b', '')}"
    return HttpResponse(text)


def big(request):
    return HttpResponse(b"x" * int(request.GET.get("bytes", "1000")))


@csrf_exempt
def rename_areas(request):
    """A write without a signal (queryset.update), answering with `status`."""
    Area.objects.update(name=request.POST.get("name", "Umbenannt"))
    return HttpResponse(status=int(request.POST.get("status", "200")))


csrf_exempt_reason = "test views only"
rename_areas.csrf_exempt_reason = csrf_exempt_reason

urlpatterns = [
    path("test/bedingt/", conditional),
    path("test/gross/", big),
    path("test/umbenennen/", rename_areas),
    *portal_urlpatterns,
]
