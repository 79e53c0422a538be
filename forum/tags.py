"""How a tag name becomes the slug that names it everywhere: when posting (forum.actions)
and in a search's `tag:` (search.syntax)."""

from django.utils.text import slugify


def tag_slug(raw: str) -> str:
    """A tag as a slug. "+" and "#" inside a name mean something ("c++", "c#", "notepad++")
    and slugify would drop them, so "c++", "c#" and "c" would all become "c": they are
    spelt out instead ("cplusplus", "csharp"). A leading "#" is only a hashtag habit."""
    name = raw.strip().lstrip("#").replace("+", "plus").replace("#", "sharp")
    return slugify(name, allow_unicode=True)
