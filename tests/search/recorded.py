"""A recorded Elasticsearch transport: a node class that notes requests and answers them.

Plugged into the real client (`node_class=`), so requests go through the real client,
serializer and helpers; nothing is sent anywhere. Each test scripts the answers it needs
with `answer(method, path_prefix, body)`; anything else gets a plain acknowledgement.
"""

import json
from dataclasses import dataclass

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders, NodeConfig
from elastic_transport._node._base import NodeApiResponse
from elasticsearch import Elasticsearch

from search.backends.elasticsearch import ElasticsearchBackend


@dataclass
class Request:
    method: str
    path: str
    body: object


class Recorder:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.answers: list[tuple[str, str, int, object]] = []

    def answer(self, method: str, path: str, body: object, status: int = 200) -> None:
        self.answers.append((method, path, status, body))

    def respond(self, method: str, target: str, body: bytes | None) -> tuple[int, object]:
        path = target.split("?", 1)[0]
        self.requests.append(Request(method, target, _decode(body)))
        for index, (m, prefix, status, payload) in enumerate(self.answers):
            if m == method and path.startswith(prefix):
                del self.answers[index]
                return status, payload
        if path.endswith("/_bulk"):
            lines = [line for line in (body or b"").decode().splitlines() if line]
            items = [
                {"index": {"_id": json.loads(line)["index"]["_id"], "status": 201}}
                for line in lines
                if line.startswith('{"index"')
            ]
            return 200, {"took": 1, "errors": False, "items": items}
        if method == "HEAD":
            return 404, None
        return 200, {"acknowledged": True}

    @property
    def calls(self) -> list[tuple[str, str]]:
        return [(r.method, r.path.split("?", 1)[0]) for r in self.requests]


def _decode(body: bytes | None) -> object:
    if not body:
        return None
    text = body.decode()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line]


def recorded_backend(prefix: str = "tanya") -> tuple[ElasticsearchBackend, Recorder]:
    recorder = Recorder()

    class RecordedNode(BaseNode):
        _CLIENT_META_HTTP_CLIENT = ("rec", "1")

        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            status, payload = recorder.respond(method, target, body)
            meta = ApiResponseMeta(
                status=status,
                http_version="1.1",
                headers=HttpHeaders(
                    {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}
                ),
                duration=0.0,
                node=self.config,
            )
            raw = b"" if payload is None else json.dumps(payload).encode()
            return NodeApiResponse(meta, raw)

    client = Elasticsearch("http://recorded.invalid:9200", node_class=RecordedNode)
    return ElasticsearchBackend(client, prefix=prefix), recorder


__all__ = ["NodeConfig", "Recorder", "recorded_backend"]
