from django.http import HttpRequest, HttpResponse


def question_detail(request: HttpRequest, question_id: int, slug: str) -> HttpResponse:
    raise NotImplementedError
