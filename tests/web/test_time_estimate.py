import pytest

from interviews.selectors.notices import current_notice, notice_render
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("technical", "behavioral", "minutes"), [(1, 1, 5), (2, 1, 6), (5, 3, 16)])
def test_the_time_estimate_comes_from_the_positions_plan(technical, behavioral, minutes):
    position = PositionFactory(technical_questions=technical, behavioral_questions=behavioral)
    rendered = notice_render(
        notice=current_notice(), mode="structured", position=position, candidate_known=True
    )
    assert f"Plan for about {minutes} minutes." in " ".join(rendered.points), rendered.points
