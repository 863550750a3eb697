"""Counts shown per row of a list: a correlated subquery, computed for the rows on the page
only, instead of a GROUP BY over every row (and a paginator count that wraps it)."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def row_count(related: QuerySet, to_row: str) -> Coalesce:
    """How many rows of `related` point at the outer row through the field `to_row`."""
    counted = (
        related.filter(**{to_row: OuterRef("pk")})
        .order_by()
        .values(to_row)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
