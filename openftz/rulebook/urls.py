from django.urls import path

from . import views

app_name = "rulebook"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<str:code>/", views.plan_detail, name="plan"),
    path("measures/<str:measure_id>/", views.measure_detail, name="measure"),
    path("units/", views.unit_list, name="units"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("search/", views.search, name="search"),
]
