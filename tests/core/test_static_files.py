"""Static files are served by WhiteNoise, from the apps' static folders (its finders), with
a content type and no sniffing; an unknown one is a 404. The suite runs WhiteNoise with
autorefresh (config/settings/test.py), which finds a file when it is asked for, so this is
what the scan at start-up would serve."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_theme_stylesheet_is_served_with_its_type(client):
    response = client.get("/static/themes/tanya.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)


def test_a_file_that_is_not_there_is_a_404(client):
    assert client.get("/static/themes/missing.css").status_code == 404
