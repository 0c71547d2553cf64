"""The error page must not need the database: it is what users see when PostgreSQL is down."""

from django.db import OperationalError
from django.utils.functional import SimpleLazyObject

from core.views import error_500


def database_down():
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


def test_the_500_page_renders_in_chinese_while_the_database_is_down(rf):
    request = rf.get("/applications/")
    request.user = SimpleLazyObject(database_down)  # what AuthenticationMiddleware leaves when the DB is gone
    response = error_500(request)
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()


def test_the_500_page_is_chinese_when_the_database_answers(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/public/")
    request.user = AnonymousUser()
    response = error_500(request)
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()
