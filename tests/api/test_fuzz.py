"""Hostile input at every endpoint gets a 4xx with an error body, never a 500.

Malformed JSON, wrong types, 1 MB strings, empty bodies, NUL bytes, lone surrogates,
negative and enormous ids, and unicode everywhere. The caller is a trusted member, so
requests get past authentication and as deep into the actions as they can. Each test
walks every endpoint in subtests: one set of rows (a Wagtail category page is slow to
make) serves them all, and each failure is still reported on its own.
"""

import json
from dataclasses import dataclass

import pytest

from tests.api.conftest import ApiClient
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_000_000
BIGGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class Write:
    method: str
    path: str
    valid: dict | None  # a body the endpoint accepts; None: it takes no body

    def url(self, objects: dict) -> str:
        return self.path.format(**{name: row.pk for name, row in objects.items()})

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


TITLE, BODY = "How do I reset my router?", "Hold the reset button for ten seconds."
WRITES = [
    Write("post", "/questions/", {"title": TITLE, "body": BODY, "category": "c", "tags": ["x"]}),
    Write("patch", "/questions/{question}/", {"title": TITLE, "body": BODY, "summary": "s"}),
    Write("delete", "/questions/{question}/", None),
    Write("post", "/questions/{question}/answers/", {"body": BODY}),
    Write("patch", "/answers/{answer}/", {"body": BODY, "summary": "s"}),
    Write("delete", "/answers/{answer}/", None),
    Write("post", "/questions/{question}/comments/", {"body": "A comment."}),
    Write("post", "/answers/{answer}/comments/", {"body": "A comment."}),
    Write("delete", "/comments/{comment}/", None),
    Write("post", "/questions/{question}/vote/", {"value": 1}),
    Write("post", "/answers/{answer}/vote/", {"value": -1}),
    Write("post", "/questions/{question}/accept/", {"answer": 1}),
    Write("delete", "/questions/{question}/accept/", None),
    Write("post", "/questions/{question}/verify/", None),
]
WITH_BODY = [write for write in WRITES if write.valid is not None]
WITH_ID = [write for write in WRITES if "{" in write.path]
READS_WITH_ID = [
    "/questions/{id}/",
    "/questions/{id}/answers/",
    "/questions/{id}/comments/",
    "/answers/{id}/",
    "/answers/{id}/comments/",
    "/users/{id}/",
]

MALFORMED = [
    "{",
    '{"body": ',
    "{'single': 'quotes'}",
    "[1, 2",
    "NaN",
    '{"body": "unterminated}',
    b"\xff\xfe not utf-8",
    "[" * 100_000,  # deep enough to overflow the JSON parser's recursion
    "{" + MEGABYTE,
]
NOT_AN_OBJECT = ["null", "[]", '"text"', "42", "true", "[{}]", json.dumps([{"body": BODY}])]
WRONG_TYPES = [None, 12, -1.5, True, "12", [], {}, [["nested"]], {"$gt": ""}]
BAD_STRINGS = [MEGABYTE, "", "\x00", "nul\x00inside a string that is otherwise long enough"]


def _shifted(text: str, offset: int) -> str:
    """`text` with its letters moved into another Unicode block (confusable look-alikes)."""
    return "".join(chr(ord(c) + offset) if c.isalpha() else c for c in text)


UNICODE = [
    "Pertanyaan tentang router? 🙂 Terima kasih",
    "كيف أعيد ضبط جهاز التوجيه الخاص بي؟ شكرا لكم",
    "\u202eevil right-to-left override text here\u202c",
    _shifted("fullwidth question title here", 0xFEE0),  # the fullwidth forms block
    "e\u0301" * 40,
    _shifted("HOW DO I RESET MY ROUTER", 0x1D56C - ord("A")),  # mathematical bold fraktur
    "\ufdfa\ufdfa\ufdfa",  # one character each, eighteen after NFKC normalisation
]
BAD_PATH_IDS = ["0", "-1", "-9223372036854775808", "9223372036854775808", "1" * 40, "1.5", "1e3"]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Hundreds of writes in one test: lift the limits so they reach the actions."""
    settings.TANYA_API_IP_WRITES = (1_000_000, 3600)
    settings.TANYA_RATE_LIMITS = dict.fromkeys(settings.TANYA_RATE_LIMITS, (1_000_000, 3600))


@pytest.fixture
def objects() -> dict:
    question = QuestionFactory(category=CategoryFactory(slug="c"))
    answer = AnswerFactory(question=question)
    comment = CommentFactory(question=question)
    return {"question": question, "answer": answer, "comment": comment}


@pytest.fixture
def member() -> ApiClient:
    return ApiClient(UserFactory(trusted=True))


def _refused(response, *statuses: int) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.content[:300])
    body = response.json()
    assert isinstance(body["code"], str)
    assert isinstance(body["message"], str)


def _not_a_crash(response) -> None:
    assert response.status_code < 500, (response.status_code, response.content[:300])


def _is_wrong_type(field: str, valid, value) -> bool:
    if isinstance(valid, list):
        return not isinstance(value, list) or any(not isinstance(v, str) for v in value)
    if isinstance(valid, int):
        return type(value) is not int
    if field == "category":  # an id or a slug
        return type(value) not in (int, str)
    return not isinstance(value, str)


def test_a_body_that_is_not_a_json_object_is_refused(objects, member, subtests):
    for write in WITH_BODY:
        for raw in MALFORMED + NOT_AN_OBJECT:
            with subtests.test(write=str(write), raw=repr(raw[:20])):
                response = member._send(write.method, write.url(objects), None, raw=raw)

                _refused(response, 400, 422)


def test_an_empty_body_is_invalid(objects, member, subtests):
    for write in WITH_BODY:
        with subtests.test(write=str(write)):
            response = member._send(write.method, write.url(objects), None, raw="")

            _refused(response, 422)


def test_an_empty_object_is_refused_or_changes_nothing(objects, member, subtests):
    for write in WITH_BODY:
        with subtests.test(write=str(write)):
            _not_a_crash(member._send(write.method, write.url(objects), {}))


def test_a_field_of_the_wrong_type_is_invalid(objects, member, subtests):
    for write in WITH_BODY:
        for field, valid in write.valid.items():
            for value in WRONG_TYPES:
                if not _is_wrong_type(field, valid, value):
                    continue
                with subtests.test(write=str(write), field=field, value=repr(value)):
                    body = {**write.valid, field: value}
                    response = member._send(write.method, write.url(objects), body)

                    if value is None and write.method == "patch" and field != "summary":
                        _not_a_crash(response)  # null leaves an edited field as it was
                    else:
                        _refused(response, 422)


def test_a_huge_empty_or_nul_string_is_refused(objects, member, subtests):
    for write in WITH_BODY:
        for field, valid in write.valid.items():
            if not isinstance(valid, str | list):
                continue
            for value in BAD_STRINGS:
                if field == "summary" and value == "":
                    continue  # an edit may come without a summary
                with subtests.test(write=str(write), field=field, value=repr(value[:12])):
                    bad = [value] if isinstance(valid, list) else value
                    body = {**write.valid, field: bad}
                    response = member._send(write.method, write.url(objects), body)

                    if field == "tags" and value == "":
                        _not_a_crash(response)  # an empty tag is skipped
                    else:
                        _refused(response, 422)


def test_unicode_in_any_field_is_accepted_or_refused_cleanly(objects, member, subtests):
    for write in WITH_BODY:
        for field, valid in write.valid.items():
            for text in UNICODE:
                with subtests.test(write=str(write), field=field, text=text[:10]):
                    value = [text[:30]] if isinstance(valid, list) else text
                    body = {**write.valid, field: value}
                    response = member._send(write.method, write.url(objects), body)

                    _not_a_crash(response)


def test_a_lone_surrogate_is_invalid(objects, member, subtests):
    for write in WITH_BODY:
        for field, valid in write.valid.items():
            if not isinstance(valid, str):
                continue
            with subtests.test(write=str(write), field=field):
                raw = json.dumps({**write.valid, field: "HERE"}).replace("HERE", "abc\\ud800")
                response = member._send(write.method, write.url(objects), None, raw=raw)

                _refused(response, 422)


def test_an_unknown_field_is_invalid(objects, member, subtests):
    for write in WITH_BODY:
        with subtests.test(write=str(write)):
            body = {**write.valid, "\x00ü": 1}
            response = member._send(write.method, write.url(objects), body)

            _refused(response, 422)


def test_an_impossible_id_in_the_path_is_refused(objects, member, subtests):
    for write in WITH_ID:
        for bad_id in BAD_PATH_IDS:
            with subtests.test(write=str(write), id=bad_id):
                path = write.path.format(question=bad_id, answer=bad_id, comment=bad_id)
                response = member._send(write.method, path, write.valid)

                _refused(response, 422)


def test_an_id_that_names_nothing_is_not_found(objects, member, subtests):
    for write in WITH_ID:
        with subtests.test(write=str(write)):
            path = write.path.format(question=BIGGEST_ID, answer=BIGGEST_ID, comment=BIGGEST_ID)
            response = member._send(write.method, path, write.valid)

            _refused(response, 404)


def test_an_impossible_answer_id_in_the_body_is_refused(objects, subtests):
    question = objects["question"]
    asker = ApiClient(question.author)
    for bad_id in [0, -1, 2**63, 10**30, "1", 1.5, True, None]:
        with subtests.test(answer=repr(bad_id)):
            response = asker.post(f"/questions/{question.pk}/accept/", {"answer": bad_id})

            _refused(response, 422)


def test_anonymous_hostile_input_is_refused_before_it_is_read(objects, anonymous, subtests):
    for write in WRITES:
        with subtests.test(write=str(write)):
            response = anonymous._send(write.method, write.url(objects), None, raw="{" + MEGABYTE)

            _refused(response, 401)


def test_reads_refuse_impossible_ids(objects, anonymous, subtests):
    for path in READS_WITH_ID:
        for bad_id in [*BAD_PATH_IDS, "%00", "%F0%9F%99%82", "a" * 200]:
            with subtests.test(path=path, id=bad_id[:20]):
                response = anonymous.get(path.format(id=bad_id))

                _refused(response, 404, 422)


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "\x00"},
        {"sort": "random"},
        {"state": "open"},
        {"category": "\x00"},
        {"tag": "x" * 5000},
        {"cursor": "\x00"},
        {"cursor": "a" * 5000},
    ],
    ids=lambda params: repr(params)[:30],
)
def test_question_list_filters_refuse_hostile_values(params, anonymous):
    _refused(anonymous.get("/questions/", **params), 422)


@pytest.mark.parametrize(
    "params",
    [{"category": "9" * 40}, {"category": "-1"}, {"category": "١٢"}, {"tag": "🙂"}],
    ids=lambda params: repr(params)[:30],
)
def test_question_list_filters_naming_nothing_are_not_found(params, anonymous):
    _refused(anonymous.get("/questions/", **params), 404)


def test_a_forged_cursor_is_ignored(anonymous):
    response = anonymous.get("/questions/", cursor="W10:1tXXXX:forged")

    assert response.status_code == 200
