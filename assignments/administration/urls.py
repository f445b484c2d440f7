from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/import/", views.accounts_import, name="accounts_import"),
    path("accounts/template.xlsx", views.accounts_template, name="accounts_template"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/password/", views.account_password, name="account_password"),
    path("accounts/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("years/", views.years, name="years"),
    path("years/<int:year>/lock/", views.year_lock, name="year_lock"),
    path("years/<int:year>/reopen/", views.year_reopen, name="year_reopen"),
    path("years/<int:year>/rounds/<str:level>/", views.round_edit, name="round"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:number>/", views.task, name="task"),
    path("units/", views.units, name="units"),
    path("units/list.xlsx", views.units_workbook, name="units_workbook"),
    path("units/offices/", views.offices_import, name="offices_import"),
    path("units/offices.xlsx", views.offices_template, name="offices_template"),
    path("units/<str:code>/", views.unit, name="unit"),
    path("log/", views.log, name="log"),
]
