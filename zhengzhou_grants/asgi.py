import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengzhou_grants.settings.local")
application = get_asgi_application()
