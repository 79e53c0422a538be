"""core/web.py: a domain error as a page, for a plain post and for htmx."""

import json

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from core import web
from core.errors import InvalidInput, NotAllowed, RateLimited, error_body

pytestmark = pytest.mark.django_db


def post(*, htmx: bool = False, **headers):
    if htmx:
        headers["HX-Request"] = "true"
    request = RequestFactory().post("/somewhere/", headers=headers)
    request.htmx = HtmxDetails(request)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@web.refusals_shown
def refusing_button(request, error):
    web.refusals_return_to(request, "/questions/1/")
    raise error


@web.refusals_shown
def accepting_button(request):
    return HttpResponse("done")


class TitleForm(forms.Form):
    title = forms.CharField()


def test_a_refused_button_flashes_the_message_and_goes_back():
    request = post()

    response = refusing_button(request, NotAllowed("Not yours."))

    assert (response.status_code, response["Location"]) == (302, "/questions/1/")
    assert [str(m) for m in get_messages(request)] == ["Not yours."]


def test_a_refused_button_without_a_named_page_goes_back_where_the_visitor_was():
    @web.refusals_shown
    def button(request):
        raise NotAllowed()

    response = button(post(Referer="http://testserver/questions/7/"))

    assert response["Location"] == "http://testserver/questions/7/"


def test_a_refused_htmx_button_gets_the_flash_fragment_retargeted_as_a_200():
    response = refusing_button(post(htmx=True), NotAllowed("Not yours."))

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#flash"
    assert "Not yours." in response.content.decode()


def test_an_htmx_refusal_carries_the_one_error_body():
    error = NotAllowed("Not yours.")

    response = refusing_button(post(htmx=True), error)

    assert json.loads(response["HX-Trigger"]) == {"tanya:refused": error_body(error)}


def test_a_rate_limited_button_gets_the_slow_down_page_with_retry_after():
    response = refusing_button(post(), RateLimited(retry_after=30))

    assert response.status_code == 429
    assert response["Retry-After"] == "30"


def test_a_rate_limited_htmx_button_says_when_to_retry():
    response = refusing_button(post(htmx=True), RateLimited(retry_after=30))

    assert (response.status_code, response["Retry-After"]) == (200, "30")


def test_a_button_that_is_not_refused_answers_as_it_likes():
    assert accepting_button(post()).content == b"done"


def test_a_refused_form_shows_the_error_on_its_field_with_a_400():
    form = TitleForm({"title": "x"})
    form.is_valid()

    def refuse():
        raise InvalidInput("Too short.", field="title")

    assert web.submit(form, refuse) is None
    response = web.render_form(post(), "forum/_flash.html", {"form": form})

    assert response.status_code == 400
    assert form.errors == {"title": ["Too short."]}


def test_an_error_naming_no_field_of_the_form_goes_on_the_whole_form():
    form = TitleForm({"title": "x"})
    form.is_valid()

    web.add_refusal(form, NotAllowed("Not yours.", field="body"))

    assert form.non_field_errors() == ["Not yours."]


def test_a_rate_limited_form_is_a_429_with_retry_after():
    form = TitleForm({"title": "x"})
    form.is_valid()

    def refuse():
        raise RateLimited(retry_after=12)

    web.submit(form, refuse)
    response = web.render_form(post(), "forum/_flash.html", {"form": form})

    assert (response.status_code, response["Retry-After"]) == (429, "12")


def test_a_form_that_is_accepted_returns_what_the_action_returned():
    form = TitleForm({"title": "x"})
    form.is_valid()

    assert web.submit(form, lambda title: title.upper(), "x") == "X"
    assert web.refusal_of(form) is None


def test_a_fresh_form_renders_with_a_200():
    response = web.render_form(post(), "forum/_flash.html", {"form": TitleForm()})

    assert response.status_code == 200
