from django import template
from django.utils.safestring import SafeString

from kb.structured_data import qa_page_jsonld, render_jsonld

register = template.Library()


@register.filter
def jsonld(data: dict | None) -> SafeString:
    """``{{ jsonld|jsonld }}``: the data as a safely escaped JSON-LD script element."""
    return render_jsonld(data)


def _nonce(context) -> str:
    return str(context.get("CSP_NONCE") or "")


@register.simple_tag(takes_context=True)
def jsonld_script(context, data: dict | None) -> SafeString:
    """``{% jsonld_script data %}``: as the filter, with the page's CSP nonce."""
    return render_jsonld(data, nonce=_nonce(context))


@register.simple_tag(takes_context=True)
def question_jsonld(context, question) -> SafeString:
    """``{% question_jsonld question %}``: QAPage JSON-LD for a solved question, else nothing."""
    data = qa_page_jsonld(question, request=context.get("request"))
    return render_jsonld(data, nonce=_nonce(context))
