"""Pages other websites may show in a frame (the widgets under /einbetten/).

Every page of the portal refuses to be framed (CSP `frame-ancestors 'none'` and
`X-Frame-Options: DENY`). A view decorated with `embeddable` may be framed by the origins in
EMBED_ORIGINS, and only by them: its CSP names them in `frame-ancestors`, and it drops
X-Frame-Options (which cannot name origins; browsers that know CSP ignore it then anyway).
With EMBED_ORIGINS empty the widgets stay as unframeable as every other page.

The page cache keys pages by path and stores each page with its own headers, so a widget's
headers are only ever served with the widget.
"""

from functools import wraps

from csp.constants import NONE
from django.conf import settings


def embeddable(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = list(settings.EMBED_ORIGINS)
        response._csp_replace = {"frame-ancestors": origins or [NONE]}
        if origins:
            response.xframe_options_exempt = True
        return response

    return wrapped
