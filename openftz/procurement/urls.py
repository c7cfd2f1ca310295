from django.urls import path

from . import views

app_name = "procurement"
urlpatterns = [
    path("check/", views.check_page, name="check"),
    path("check/<str:token>.xlsx", views.report_xlsx, name="report_xlsx"),
    path("", views.home, name="home"),
    path("challenges/", views.challenge_list, name="challenges"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge"),
    path("challenges/<int:pk>/files/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("challenges/<int:pk>/<slug:action>/", views.challenge_action, name="challenge_action"),
    path("debriefings/", views.debriefing_list, name="debriefings"),
    path("debriefings/<int:pk>/", views.debriefing_detail, name="debriefing"),
    path("debarments/", views.debarment_list, name="debarments"),
    path("debarments/<int:pk>/", views.debarment_detail, name="debarment"),
    path("procedures/new/", views.procedure_new, name="procedure_new"),
    path("procedures/<str:ocid>/", views.procedure_detail, name="procedure"),
    path("procedures/<str:ocid>/notice/<slug:kind>/", views.notice, name="notice"),
    path("procedures/<str:ocid>/challenge/", views.challenge_new, name="challenge_new"),
    path("procedures/<str:ocid>/debriefing/", views.debriefing_new, name="debriefing_new"),
    path("procedures/<str:ocid>/do/<slug:action>/", views.procedure_action, name="procedure_action"),
]
