from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("email/", views.email_preference, name="email"),
    path("<int:pk>/", views.notification_open, name="open"),
]
