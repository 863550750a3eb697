import pytest


@pytest.fixture
def recruiter_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("recruiter", "r@example.com", "pw")
    client.force_login(user)
    return client
