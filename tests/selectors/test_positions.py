import pytest

from interviews.selectors.positions import position_by_name
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def test_it_finds_a_position_by_what_a_person_says(default_bank):
    position = PositionFactory(title="Site Reliability Engineer", slug="sre")
    assert position_by_name(name="site reliability engineer") == position
    assert position_by_name(name="SRE!") == position
    assert position_by_name(name="Data-Scientist").slug == "data-scientist"
    assert position_by_name(name="astronaut") is None
    assert position_by_name(name="   ") is None


def test_the_default_positions_carry_the_aliases_recruiters_can_edit(default_bank):
    from interviews.models import Position
    from interviews.selectors.positions import active_position_aliases

    aliases = active_position_aliases()
    assert "backend" in aliases["Software Engineer"]
    assert "PM" in aliases["Product Manager"]

    Position.objects.filter(slug="data-scientist").update(aliases="dba, data platform")
    assert active_position_aliases()["Data Scientist"] == ["dba", "data platform"]
