from django.urls import path

from . import views

app_name = "procurement"
urlpatterns = [
    path("check/", views.check_page, name="check"),
    path("check/<str:token>.xlsx", views.report_xlsx, name="report_xlsx"),
]
