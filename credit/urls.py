from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.lists, name="lists"),
    path("<int:pk>/", views.list_detail, name="list"),
    path("template.xlsx", views.template, name="template"),
    path("registry/", views.registry, name="registry"),
    path("registry/template.xlsx", views.registry_template, name="registry_template"),
]
