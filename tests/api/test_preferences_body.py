"""The notification preferences endpoint refuses a body that is not its object (found by
schemathesis: a JSON list was accepted as "no change")."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/preferences/"


@pytest.mark.parametrize(
    "body",
    [
        "[null, null]",
        '{"follow_on_participate": true, "x": 1}',
        '{"email": {}, "follow_on_participate": 0}',
    ],
)
def test_a_body_that_is_not_the_preferences_object_is_refused(client, body):
    client.force_login(UserFactory())

    response = client.patch(URL, body, content_type="application/json")

    assert response.status_code in (400, 422), response.content


def test_a_body_that_is_not_json_is_a_documented_400(client):
    client.force_login(UserFactory())

    response = client.patch(URL, "\x00", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
