"""Page panels: how an app adds to another app's page without that app importing it.

The forum's question page shows the knowledge-base banner and the promote button, but
forum must not import kb (docs/ARCHITECTURE.md, "Import direction"). So kb registers a
provider for the page in `kb/panels.py` (imported at start-up, like subscribers):

    @panels.provides("forum.question")
    def knowledge_base(viewer, question) -> dict:
        return {"kb_article": ..., "can_promote": ...}

and the forum's view merges what every provider returns into its context:

    context |= panels.context_for("forum.question", request.user, question)

Providers load what they show with their own app's queries, so templates still run no
queries; a page's query-count test counts them.
"""

from collections.abc import Callable

Provider = Callable[..., dict]
_PROVIDERS: dict[str, list[Provider]] = {}


def provides(page: str) -> Callable[[Provider], Provider]:
    def register(func: Provider) -> Provider:
        providers = _PROVIDERS.setdefault(page, [])
        if func not in providers:
            providers.append(func)
        return func

    return register


def context_for(page: str, viewer, subject) -> dict:
    """What every provider registered for `page` adds to its template context."""
    context: dict = {}
    for provider in _PROVIDERS.get(page, []):
        context.update(provider(viewer, subject))
    return context


def providers() -> dict[str, list[str]]:
    """Page → provider names, for the test that reads the whole composition."""
    return {
        page: [f"{p.__module__}.{p.__qualname__}" for p in found]
        for page, found in sorted(_PROVIDERS.items())
    }
