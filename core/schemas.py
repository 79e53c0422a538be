"""Schemas every router shares: the error bodies and the constrained scalars of the API.

Routers import from here rather than from each other, so each one documents the same
error shape (`ErrorOut`) without depending on another app's API.
"""

from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError, PydanticUndefined

#: The largest primary key the databases store (a signed 64-bit integer). Bigger numbers
#: are refused as invalid input before they reach a query, where SQLite would overflow.
MAX_ID = 2**63 - 1

#: PostgreSQL refuses NUL in a text parameter, so no string the API accepts may hold one.
NO_NUL = r"^[^\x00]*$"


def _json_integer(value: Any) -> Any:
    # Pydantic's lax int also takes "5" and true; strict refuses 5.0, which JSON Schema
    # (and so every client generated from our OpenAPI) counts as an integer.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def json_int(*, ge: int, le: int) -> Any:
    """An integer in a JSON body as JSON Schema means it: 5 and 5.0, not "5", true or 5.5.

    The bounds come before the validator: after it, pydantic would publish them as "ge"
    and "le", which no JSON Schema reader understands.
    """
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_json_integer)]


#: A primary key in a JSON body, in range.
BodyId = json_int(ge=1, le=MAX_ID)


def text(
    default: Any = PydanticUndefined,
    *,
    min_length: int = 0,
    max_length: int,
    description: str | None = None,
) -> Any:
    """A JSON string field of bounded length with no NUL characters."""
    return Field(
        default,
        min_length=min_length,
        max_length=max_length,
        pattern=NO_NUL,
        description=description,
    )


class ErrorOut(Schema):
    """Every refusal: a stable machine-readable `code`, a message for people, and the
    input it is about when there is one (core.errors.error_body builds it)."""

    code: str
    message: str
    field: str | None = Field(None, description="The input the refusal is about, if any.")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description='Where: ["body", "title"], ["query", "sort"], ...')
    message: str
    type: str


class ValidationErrorOut(ErrorOut):
    """422: the request was well-formed JSON but some values were not acceptable."""

    errors: list[FieldErrorOut] = []


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """`response=` entries documenting the given error statuses with their bodies."""
    return {status: ValidationErrorOut if status == 422 else ErrorOut for status in statuses}


RETRY_AFTER = {
    "responses": {
        429: {
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer", "minimum": 1},
                }
            }
        }
    }
}
