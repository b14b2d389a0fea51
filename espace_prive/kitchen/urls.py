from django.urls import path

from . import views

app_name = "kitchen"

urlpatterns = [
    path("menus/", views.family_menus, name="menus"),
    path("enfants/<uuid:child_id>/menus/", views.child_menus_view, name="child_menus"),
]
