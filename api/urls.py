from django.urls import path

from . import views

app_name = "api_clients"

urlpatterns = [
    path("", views.clients, name="clients"),
    path("<int:pk>/rotate/", views.client_rotate, name="rotate"),
    path("<int:pk>/revoke/", views.client_revoke, name="revoke"),
]
