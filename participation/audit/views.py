"""The admin's "Protokoll": one page for every staff action (see selectors)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import pgettext_lazy

from neighbourhoods.permissions import areas_managed_by
from participation import permissions

from .forms import LogFilterForm
from .selectors import log_ids, log_rows

PER_PAGE = 50


def protocol_view(request, *, admin_site, opts):
    if not permissions.can_work_in_admin(request.user):
        raise PermissionDenied
    area_ids = list(areas_managed_by(request.user).values_list("pk", flat=True))
    form = LogFilterForm(request.GET or None, area_ids=area_ids)
    entries = log_ids(request.user, form.log_filter(), area_ids=area_ids)
    paginator = Paginator(entries, PER_PAGE)
    page = paginator.get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return TemplateResponse(
        request,
        "admin/participation/protocol.html",
        {
            **admin_site.each_context(request),
            "title": pgettext_lazy("audit log", "Protokoll"),
            "opts": opts,
            "form": form,
            "page": page,
            "rows": log_rows(list(page.object_list)),
            "query": query.urlencode(),
        },
    )
