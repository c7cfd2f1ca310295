from django.urls import path

from . import views

app_name = "parties"
urlpatterns = [
    path("", views.party_list, name="list"),
    path("<str:party_id>/", views.party_detail, name="detail"),
]
