"""Tools for running the whole product on one machine (`make dev`) and in end-to-end tests."""
