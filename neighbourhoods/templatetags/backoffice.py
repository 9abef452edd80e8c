"""{% inbox %}: the back office's inbox on the admin's start page (templates/admin/index.html)."""

from django import template

from neighbourhoods.inbox import build_inbox

register = template.Library()


@register.inclusion_tag("admin/inbox.html", takes_context=True)
def inbox(context):
    request = context["request"]
    return {"inbox": build_inbox(request.user), "request": request}
