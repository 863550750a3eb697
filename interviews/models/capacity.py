"""What the interviewer workers can take: each `runagent` reports its capacity and the
interviews it holds every few seconds (interviews.services.interview_queue reads them to
admit candidates or keep them in line, in arrival order, shared by every web process)."""

from django.db import models


class InterviewerWorker(models.Model):
    # Host, process and a random part: a restarted worker is a new row.
    worker_id = models.CharField(max_length=120, unique=True)
    # The name it takes interviews under (LIVEKIT_AGENT_NAME): only workers of the name the
    # web app dispatches give candidates a slot.
    agent_name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField(help_text="AGENT_MAX_INTERVIEWS of this worker.")
    in_use = models.PositiveIntegerField(help_text="Interviews it held at its last report.")
    # Stopping (SIGTERM): finishes its interviews, takes no new ones.
    draining = models.BooleanField(default=False)
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["worker_id"]
        indexes = [
            models.Index(fields=["agent_name", "seen_at"], name="interviewer_worker_seen_idx")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id}: {self.in_use} of {self.capacity}"
