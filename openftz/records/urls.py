from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("<str:record_id>/", views.record_detail, name="detail"),
    path("<str:record_id>/documents/<str:checksum>/", views.record_document, name="document"),
]
