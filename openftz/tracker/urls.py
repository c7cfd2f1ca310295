from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "tracker"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="tracker/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="tracker:public"), name="logout"),
    path("progress/", views.public_progress, name="public"),
    path("progress/<str:measure_id>/", views.public_measure, name="public_measure"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("reviews/", views.review_queue, name="reviews"),
    path("risks/", views.risk_register, name="risks"),
    path("cases/", views.cases, name="cases"),
    path("feedback/", views.feedback, name="feedback"),
    path("excel/", views.excel, name="excel"),
]
