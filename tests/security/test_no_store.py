"""Cache-Control: private, no-store on every answer to a signed-in user and on every download
(core.middleware.NoStoreMiddleware), checked over the permission matrix's URLs as each role; public pages of
anonymous visitors stay cacheable."""

import pytest
from django.urls import reverse

from .matrixlib import ANON, ROLES, clients
from .routes import route_kwargs, takes_object, url_patterns
from .world import build_world

pytestmark = pytest.mark.django_db


def no_store(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.slow
def test_every_answer_to_a_signed_in_user_and_every_download_is_no_store():
    world = build_world()
    made = clients(world)
    cacheable, anonymous_pages = [], 0
    for name, pattern in url_patterns():
        for side in (("own", "foreign") if takes_object(pattern) else ("-",)):
            url = reverse(name, kwargs=route_kwargs(name, pattern, world, side if side != "-" else "own"))
            for role in ROLES:
                response = made[role].get(url)
                download = response.has_header("Content-Disposition") or response.streaming
                if (role != ANON or download) and not no_store(response):
                    cacheable.append(f"{name} [{side}] as {role}: {response.status_code} "
                                     f"Cache-Control={response.get('Cache-Control')!r}")
                public = name.startswith(("public:", "publicity:"))
                if role == ANON and public and response.status_code == 200 and not download:
                    anonymous_pages += 1
                    assert not no_store(response), f"{name}: a public page for anonymous visitors stays cacheable"
    assert not cacheable, "responses that a cache may keep:\n" + "\n".join(cacheable)
    assert anonymous_pages >= 3  # the public calls and publicity pages were seen


def test_the_company_page_and_an_attachment_download_are_no_store(client_for):
    from accounts.roles import Role
    from tests.factories import ApplicationFactory
    from tests.factories.applications import attach_required, enterprise_user

    app = ApplicationFactory()
    user = enterprise_user(app)
    attach_required(app, user)
    client = client_for(user)
    page = client.get(reverse("accounts:company"))
    assert page.status_code == 200 and no_store(page)
    attachment = app.attachments.first()
    download = client.get(reverse("applications:download", args=[app.pk, attachment.pk]))
    assert download.status_code == 200 and no_store(download)
    assert user.role == Role.ENTERPRISE
