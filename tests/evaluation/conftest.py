# The evaluator runs on the review suite's completed interview, by the same recruiters.
from tests.review.conftest import interview, recruiter, recruiter_client  # noqa: F401
