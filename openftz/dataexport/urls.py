from django.urls import path

from . import views

app_name = "dataexport"
urlpatterns = [path("assess/", views.assess, name="assess")]
