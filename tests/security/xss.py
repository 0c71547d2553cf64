"""The script payload of the XSS tests and the check that a page shows it escaped, never as markup."""

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
RAW_MARKERS = ("<script>alert(1)", "<img src=x", "onerror=alert(1)>", 'href="javascript:', "href='javascript:",
               "<a href=\"http://evil")


def assert_escaped(response, *, shown=True):
    """The page answers 200 with none of the raw markers; with ``shown`` the escaped payload is on it."""
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in body, marker
    if shown:
        assert ESCAPED in body
    return body
