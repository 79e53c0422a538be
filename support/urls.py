from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("support/queue/", views.queue_view, name="queue"),
    path("support/questions/<int:question_id>/escalate/", views.escalate_view, name="escalate"),
    path("support/escalations/<int:escalation_id>/assign/", views.assign_view, name="assign"),
    path("support/escalations/<int:escalation_id>/status/", views.status_view, name="status"),
]
