"""The product's settings, with bench.urls: the token endpoint beside a trivial view."""

from hiring.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
