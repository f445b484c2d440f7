from django.urls import path

from . import views

app_name = "assignments"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<str:code>/", views.department_detail, name="department"),
]
