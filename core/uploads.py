"""Upload size limit enforced while the request body streams in, not after it arrived.

``LimitedUploadHandler`` runs first in ``FILE_UPLOAD_HANDLERS``: a multipart request that declares more than
``UPLOAD_MAX_BYTES`` (plus room for the form's other fields) is refused before a byte of the body is read, and
a file whose streamed data passes ``UPLOAD_MAX_BYTES`` (a lying or missing Content-Length) is refused at that
chunk. The refusal is ``UploadTooLarge``: Django answers it through ``handler400`` (core.views.error_400),
which shows the Chinese message with HTTP 413.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler

# multipart boundaries, headers and the form's small fields around the file
ENVELOPE_BYTES = 1024 * 1024


class UploadTooLarge(RequestDataTooBig):
    """The request or one of its files is larger than UPLOAD_MAX_BYTES."""


def upload_max_bytes():
    return settings.UPLOAD_MAX_BYTES


class LimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > upload_max_bytes() + ENVELOPE_BYTES:
            raise UploadTooLarge(f"declared request body of {content_length} bytes")
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received = start + len(raw_data)
        if self.received > upload_max_bytes():
            raise UploadTooLarge(f"streamed file passed {upload_max_bytes()} bytes")
        return raw_data  # the next handler (memory or temporary file) stores it

    def file_complete(self, file_size):
        return None
