"""Shared by the SSRF tests of every PDF renderer (application PDF, publicity notice, evaluation report): the
hostile HTML; the PDF's text is read with tests.helpers.pdf_text."""

PASSWD = "root:x:0:0"


def payloads(origin):
    """HTML that would make a renderer fetch from ``origin`` (the trap) or read /etc/passwd. The first one is
    an <img> of ``{origin}/img.png``; the tests look for that text printed literally in the PDF."""
    return [
        f'<img src="{origin}/img.png">',
        '<link rel=stylesheet href="file:///etc/passwd">',
        f"<style>@import url({origin}/import.css);</style>",
        f'<div style="background:url({origin}/bg.png)">x</div>',
        f'<link rel="stylesheet" href="{origin}/link.css">',
        '<img src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd">'
        "</object>",
        f'<iframe src="{origin}/frame.txt"></iframe>',
        f'<object data="{origin}/object.txt"></object><embed src="{origin}/embed.png">',
        f'<svg><image href="{origin}/svg.png"/></svg>',
        f'<p style="background-image:url({origin}/inline.png)">x</p>',
        f'<base href="{origin}/"><img src="relative.png">',
        '<img src="../../../../../../etc/passwd"><img src="/static/../../../../etc/passwd">',
        '<a rel="attachment" href="file:///etc/passwd">附件</a>',
        f'<style>body{{background:url("{origin}/bg2.png")}}</style>',
    ]

