"""Uploads cut off midway are refused, not half-processed, and leave no temporary file.

When the request body ends before its Content-Length inside a file (the visitor's connection
dropped, the browser was closed), Django removes the temporary file and calls
`upload_interrupted()` — but then hands the view the other fields as if no file had been
sent, so a form whose photo is optional (a new idea) would be saved without the photo. Here
the interruption becomes a MultiPartParserError: Django answers 400 and no view runs.

When the connection is reset instead, reading the body fails (UnreadablePostError) and Django
never puts the half-written temporary file into request.FILES, so nothing closes it; it stays
on disk until the garbage collector finds the request. TemporaryUploadCleanupMiddleware closes
(and so deletes) every temporary upload file of a request when its response is done.

RequestSizeLimitMiddleware refuses a body larger than REQUEST_BODY_MAX_BYTES from its
Content-Length, before anything reads it: without it, a 200 MB post was streamed completely
into a temporary file before the form said "larger than 10 MB". A body without Content-Length
(chunked) is refused too: Django reads a body only as far as its Content-Length, so it would
silently see an empty form. Either way the body is never read; gunicorn's sync workers close
the connection after the answer.
"""

from django.conf import settings
from django.core.files import uploadhandler
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from quartier.middleware import add_security_headers

TEMPORARY_UPLOADS = "_temporary_uploads"


class UploadInterrupted(MultiPartParserError):
    pass


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's handler for large files (FILE_UPLOAD_HANDLERS, after the memory handler)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.request is not None:
            vars(self.request).setdefault(TEMPORARY_UPLOADS, []).append(self.file)

    def upload_interrupted(self):
        super().upload_interrupted()
        raise UploadInterrupted("The request body ended in the middle of a file upload.")


class TemporaryUploadCleanupMiddleware:
    """Place near the top of MIDDLEWARE, above everything that may read the request body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            for upload in getattr(request, TEMPORARY_UPLOADS, ()):
                upload.close()  # deletes the file; fine if storage has moved it already


class RequestSizeLimitMiddleware:
    """Place first in MIDDLEWARE: it answers before anything may read the request body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return self._refuse(request, 413, limit)
        if "HTTP_TRANSFER_ENCODING" in request.META and not request.META.get("CONTENT_LENGTH"):
            return self._refuse(request, 411, limit)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status, limit):
        language = translation.get_language_from_path(request.path_info)
        with translation.override(language or settings.LANGUAGE_CODE):
            if status == 413:
                text = _(
                    "Die Anfrage ist zu groß: höchstens %(size)s. "
                    "Bitte wählen Sie eine kleinere Datei."
                ) % {"size": filesizeformat(limit)}
            else:
                text = _("Die Anfrage braucht eine Längenangabe (Content-Length).")
        response = HttpResponse(
            f"{text}\n", status=status, content_type="text/plain; charset=utf-8"
        )
        response["Content-Length"] = str(len(response.content))  # the client need not wait
        return add_security_headers(request, response)
