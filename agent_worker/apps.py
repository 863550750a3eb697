from django.apps import AppConfig


class AgentWorkerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agent_worker"
    verbose_name = "Interviewer agent"
