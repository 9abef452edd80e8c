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
"""

from django.core.files import uploadhandler
from django.http.multipartparser import MultiPartParserError

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
