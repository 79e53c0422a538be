"""Promotion from every path (the site, the Wagtail admin report, the API) and who is refused."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from forum.errors import NotAllowed
from kb.api import promote_question_endpoint
from kb.models import ArticlePage
from tests.factories import ModeratorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _edit_url(article) -> str:
    return reverse("wagtailadmin_pages:edit", args=[article.pk])


# --- The site ---------------------------------------------------------------------------


def test_staff_promote_from_the_question_page_and_land_in_the_editor(
    client, editor, solved_question
):
    client.force_login(editor)

    response = client.post(f"/kb/promote/{solved_question.pk}/")

    article = ArticlePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _edit_url(article)


def test_promoting_again_from_the_site_opens_the_same_draft(client, editor, solved_question):
    client.force_login(editor)
    client.post(f"/kb/promote/{solved_question.pk}/")

    response = client.post(f"/kb/promote/{solved_question.pk}/", headers={"HX-Request": "true"})

    assert ArticlePage.objects.count() == 1
    assert response["HX-Redirect"] == _edit_url(ArticlePage.objects.get())


@pytest.mark.parametrize("make_user", [UserFactory, ModeratorFactory, StaffFactory])
def test_others_are_refused_on_the_site_with_a_message(
    client, kb_index, solved_question, make_user
):
    client.force_login(make_user())

    response = client.post(f"/kb/promote/{solved_question.pk}/", follow=True)

    assert not ArticlePage.objects.exists()
    assert response.redirect_chain[0][0] == solved_question.get_absolute_url()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_an_anonymous_visitor_is_sent_to_log_in(client, kb_index, solved_question):
    response = client.post(f"/kb/promote/{solved_question.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not ArticlePage.objects.exists()


def test_the_site_view_refuses_get(client, editor, solved_question):
    client.force_login(editor)

    assert client.get(f"/kb/promote/{solved_question.pk}/").status_code == 405


# --- The Wagtail admin ------------------------------------------------------------------


def test_the_candidates_report_lists_solved_unpromoted_questions(client, editor, solved_question):
    client.force_login(editor)

    response = client.get(reverse("kb_admin:candidates") + "?ordering=-view_count")

    assert response.status_code == 200
    assert list(response.context["object_list"]) == [solved_question]
    assert f'action="{reverse("kb_admin:promote", args=[solved_question.pk])}"' in (
        response.content.decode()
    )


def test_a_promoted_question_leaves_the_candidates_report(client, editor, solved_question):
    client.force_login(editor)
    client.post(reverse("kb_admin:promote", args=[solved_question.pk]))

    response = client.get(reverse("kb_admin:candidates"))

    assert solved_question not in response.context["object_list"]


def test_the_report_promote_button_opens_the_draft(client, editor, solved_question):
    client.force_login(editor)

    response = client.post(reverse("kb_admin:promote", args=[solved_question.pk]))

    assert response["Location"] == _edit_url(ArticlePage.objects.get())


def test_staff_without_knowledge_base_rights_are_refused_by_the_report_button(
    client, kb_index, solved_question
):
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)

    response = client.post(reverse("kb_admin:promote", args=[solved_question.pk]))

    assert response["Location"] == reverse("kb_admin:candidates")
    assert not ArticlePage.objects.exists()


def test_a_member_cannot_reach_the_admin_promote_button(client, kb_index, solved_question):
    client.force_login(UserFactory())

    response = client.post(reverse("kb_admin:promote", args=[solved_question.pk]))

    assert response.status_code == 302  # Wagtail sends non-admins to its login page
    assert not ArticlePage.objects.exists()


def test_a_moderator_in_the_admin_cannot_see_the_reports(client, kb_index):
    client.force_login(ModeratorFactory())

    for name in ("kb_admin:candidates", "kb_admin:source_changed", "kb_admin:least_helpful"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403)


# --- The API ----------------------------------------------------------------------------


def _api_request(user):
    request = RequestFactory().post("/api/v1/", HTTP_HOST="testserver")
    request.user = user
    return request


def test_the_api_endpoint_promotes_for_staff(editor, solved_question):
    article = promote_question_endpoint(_api_request(editor), solved_question.pk)

    assert article.source_question_id == solved_question.pk


@pytest.mark.parametrize("make_user", [UserFactory, ModeratorFactory, StaffFactory])
def test_the_api_endpoint_refuses_others(kb_index, solved_question, make_user):
    with pytest.raises(NotAllowed):
        promote_question_endpoint(_api_request(make_user()), solved_question.pk)
    assert not ArticlePage.objects.exists()


def _api_url(question_id: int) -> str:
    try:
        return reverse("api:promote_question_endpoint", args=[question_id])
    except NoReverseMatch:
        pytest.skip("kb.api.router is not mounted in config/api.py yet")


def test_the_api_answers_a_promotion_with_the_draft(client, editor, solved_question):
    url = _api_url(solved_question.pk)
    client.force_login(editor)

    response = client.post(url)

    assert response.status_code == 200
    body = response.json()
    article = ArticlePage.objects.get()
    assert body["id"] == article.pk
    assert body["live"] is False
    assert body["url"] is None
    assert body["edit_url"].endswith(_edit_url(article))


def test_the_api_refuses_a_member_with_403(client, kb_index, solved_question):
    url = _api_url(solved_question.pk)
    client.force_login(UserFactory())

    response = client.post(url)

    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert not ArticlePage.objects.exists()


def test_the_api_refuses_an_anonymous_client_with_401(client, kb_index, solved_question):
    response = client.post(_api_url(solved_question.pk))

    assert response.status_code == 401
