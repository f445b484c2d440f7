from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("data/<int:year>/<str:unit_code>/", views.unit_values, name="unit_values"),
    path(
        "data/<int:year>/<str:unit_code>/<str:code>/",
        views.measurement_edit,
        name="measurement",
    ),
    path("review/", views.review_queue, name="review"),
    path("review/approve/", views.review_approve, name="review_approve"),
    path("review/<int:pk>/return/", views.review_return, name="review_return"),
]
