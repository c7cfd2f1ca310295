from django.urls import path

from . import views

app_name = "einvoice"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("outbox/", views.outbox, name="outbox"),
    path("send/", views.send, name="send"),
    path("messages/<uuid:message_id>/", views.message_detail, name="message"),
    path("messages/<uuid:message_id>/respond/", views.message_respond, name="respond"),
    path("messages/<uuid:message_id>/envelope.xml", views.envelope_xml, name="envelope"),
    path("messages/<uuid:message_id>/invoice.pdf", views.invoice_pdf, name="pdf"),
    path("messages/<uuid:message_id>/responses/<str:document_id>.xml", views.response_xml, name="response_xml"),
]
