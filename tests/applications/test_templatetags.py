"""The applications template tags: one file-size format everywhere."""

import pytest

from applications.templatetags.applications_tags import filesize


@pytest.mark.parametrize(("size", "text"), [
    (202, "0.2 KB"), (1024, "1.0 KB"), (340 * 1024 + 512, "340.5 KB"), (1536 * 1024, "1.5 MB"),
    (10 * 1024 * 1024, "10.0 MB"), (3 * 1024 ** 3, "3.0 GB"), (None, ""),
])
def test_filesize_format(size, text):
    assert filesize(size) == text
