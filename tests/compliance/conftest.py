from tests.web.conftest import _fresh_rate_limits, _livekit_keys, consented, invited, joined

__all__ = ["_fresh_rate_limits", "_livekit_keys", "consented", "invited", "joined"]
