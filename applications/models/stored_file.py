"""The fields every uploaded file of the platform keeps (an application's attachment, a re-review document, an
acceptance document or photo): the stored file under a generated name, the name the user gave it, its checksum,
size, detected type, who uploaded it and when. The upload checks and the storing are in
``applications.services.uploads`` (``check_upload``, ``store_file``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock


def stored_file_path(instance, filename):
    """Where a stored file goes: each concrete model says it (``upload_path``); ``filename`` is already the
    generated name (uuid + detected extension), never the user's name."""
    return instance.upload_path(filename)


class StoredFile(models.Model):
    file = models.FileField(upload_to=stored_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=150)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    file_type = models.CharField(max_length=10)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def upload_path(self, filename):
        raise NotImplementedError
