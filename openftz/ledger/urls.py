from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_home, name="home"),
    path("verify/", views.verify_upload, name="verify"),
]
