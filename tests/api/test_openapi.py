import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/categories/": {"get"},
    "/api/v1/questions/": {"get", "post"},
    "/api/v1/questions/{question_id}/": {"get", "patch", "delete"},
    "/api/v1/questions/{question_id}/answers/": {"get", "post"},
    "/api/v1/questions/{question_id}/comments/": {"get", "post"},
    "/api/v1/questions/{question_id}/vote/": {"post"},
    "/api/v1/questions/{question_id}/accept/": {"post", "delete"},
    "/api/v1/questions/{question_id}/verify/": {"post"},
    "/api/v1/questions/{question_id}/attachments/": {"post"},
    "/api/v1/answers/{answer_id}/": {"get", "patch", "delete"},
    "/api/v1/answers/{answer_id}/attachments/": {"post"},
    "/api/v1/answers/{answer_id}/comments/": {"get", "post"},
    "/api/v1/answers/{answer_id}/vote/": {"post"},
    "/api/v1/comments/{comment_id}/": {"delete"},
    "/api/v1/users/{username}/": {"get"},
    "/api/v1/questions/{question_id}/close/": {"post"},  # forum/moderation_api.py
    "/api/v1/questions/{question_id}/reopen/": {"post"},
    "/api/v1/questions/{question_id}/lock/": {"post"},
    "/api/v1/questions/{question_id}/unlock/": {"post"},
    "/api/v1/questions/{question_id}/pin/": {"post"},
    "/api/v1/questions/{question_id}/unpin/": {"post"},
    "/api/v1/questions/{question_id}/move/": {"post"},
    "/api/v1/questions/{question_id}/merge/": {"post"},
    "/api/v1/questions/{question_id}/hide/": {"post"},
    "/api/v1/questions/{question_id}/unhide/": {"post"},
    "/api/v1/questions/{question_id}/restore/": {"post"},
    "/api/v1/answers/{answer_id}/hide/": {"post"},
    "/api/v1/answers/{answer_id}/unhide/": {"post"},
    "/api/v1/answers/{answer_id}/restore/": {"post"},
    "/api/v1/comments/{comment_id}/hide/": {"post"},
    "/api/v1/comments/{comment_id}/unhide/": {"post"},
    "/api/v1/members/{username}/suspension/": {"post", "delete"},
    "/api/v1/me/": {"get", "patch"},
    "/api/v1/me/avatar/": {"post", "delete"},
    "/api/v1/me/export/": {"get"},
    "/api/v1/questions/{question_id}/promote/": {"post"},  # kb/api.py
    "/api/v1/kb/articles/": {"get"},
    "/api/v1/kb/articles/{article_id}/": {"get"},
    "/api/v1/search/": {"get"},  # search/api.py
    "/api/v1/search/similar/": {"get"},
    "/api/v1/notifications/": {"get"},  # notifications/api.py
    "/api/v1/notifications/read-all/": {"post"},
    "/api/v1/notifications/preferences/": {"get", "patch"},
    "/api/v1/notifications/{notification_id}/read/": {"post"},
    "/api/v1/questions/{question_id}/flags/": {"post"},  # moderation/api.py
    "/api/v1/answers/{answer_id}/flags/": {"post"},
    "/api/v1/comments/{comment_id}/flags/": {"post"},
}
#: Reads about the caller themself: nobody in particular has nothing to read there.
MEMBER_ONLY_READS = {
    "/api/v1/me/",
    "/api/v1/me/export/",
    "/api/v1/notifications/",
    "/api/v1/notifications/preferences/",
}


@pytest.fixture
def document() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_openapi_document_is_openapi_3(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Tanya"
    assert document["info"]["version"] == "1"


def test_the_openapi_document_lists_every_endpoint(document):
    listed = {path: set(operations) for path, operations in document["paths"].items()}

    assert listed == ENDPOINTS


def test_every_write_requires_a_member_and_every_read_allows_anyone(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            schemes = operation["security"]
            public = method == "get" and path not in MEMBER_ONLY_READS
            assert {"SessionTokenAuth": []} in schemes, (method, path)
            assert ({} in schemes) == public, (method, path)


def test_the_avatar_upload_is_documented_as_a_multipart_file(document):
    body = document["paths"]["/api/v1/me/avatar/"]["post"]["requestBody"]
    schema = body["content"]["multipart/form-data"]["schema"]

    assert schema["required"] == ["avatar"]
    assert schema["properties"]["avatar"]["format"] == "binary"


def test_the_profile_documents_no_email_address(document):
    schemas = document["components"]["schemas"]

    assert "email" not in schemas["ProfileOut"]["properties"]
    assert "email" in schemas["MeOut"]["properties"]


def test_the_session_token_is_documented_as_a_header(document):
    scheme = document["components"]["securitySchemes"]["SessionTokenAuth"]

    assert scheme == {"type": "apiKey", "in": "header", "name": "X-Session-Token"}


def _keys(node) -> set[str]:
    if isinstance(node, dict):
        return set(node).union(*(_keys(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_keys(item) for item in node))
    return set()


def test_the_openapi_document_states_bounds_in_json_schema_words(document):
    schemas = document["components"]["schemas"]
    vote = schemas["VoteIn"]["properties"]["value"]
    accept = schemas["AcceptIn"]["properties"]["answer"]

    assert (vote["minimum"], vote["maximum"]) == (-1, 1)
    assert (accept["minimum"], accept["maximum"]) == (1, 2**63 - 1)
    # pydantic's own spellings, which JSON Schema readers ignore
    assert not {"ge", "le", "gt", "lt"} & _keys(document)


def test_the_docs_page_is_served():
    assert Client().get("/api/v1/docs").status_code == 200
