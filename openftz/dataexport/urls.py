from django.urls import path

from . import views

app_name = "dataexport"
urlpatterns = [
    path("assess/", views.assess, name="assess"),
    path("assess/report.pdf", views.answers_pdf, name="answers-pdf"),
    path("assess/<slug:token>/", views.report_page, name="report"),
    path("assess/<slug:token>/report.pdf", views.report_pdf, name="report-pdf"),
    path("assess/<slug:token>/report.doc", views.report_doc, name="report-doc"),
    path("approvals/", views.approvals, name="approvals"),
]
