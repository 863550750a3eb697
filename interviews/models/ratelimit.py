"""Request counters of the rate limits, when no Redis is configured."""

from django.db import models


class RateLimitCounter(models.Model):
    """Requests counted for one key in one fixed window. Incremented by a single
    `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` (interviews/web/ratelimit.py)."""

    key = models.CharField(max_length=100)
    period = models.BigIntegerField()  # the window's number: epoch seconds // window length
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField()  # epoch seconds; later rows are still counting

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "period"], name="ratelimit_key_period_uniq")
        ]
        indexes = [models.Index(fields=["expires_at"], name="ratelimit_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.key} #{self.period}: {self.hits}"
