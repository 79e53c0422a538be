"""`{% avatar member %}`: the member's picture, or their initials on a colour of their own.

No queries: it reads only fields of the member row the page already loaded.
"""

from django import template

from accounts.avatars import initials_for

register = template.Library()

SIZES = {"small": 28, "medium": 40, "large": 72}


@register.inclusion_tag("accounts/_avatar.html")
def avatar(member, size: str = "small") -> dict:
    pixels = SIZES.get(size, SIZES["small"])
    picture = member.avatar.url if getattr(member, "avatar", None) else None
    initials = None if picture else initials_for(member.username, member.name)
    return {"picture": picture, "initials": initials, "size": size, "pixels": pixels}


@register.inclusion_tag("accounts/_suspension_banner.html")
def suspension_banner(user) -> dict:
    """The suspended member's notice on every page: until when and why. No queries: the
    request's user row holds the suspension."""
    suspended = bool(user and user.is_authenticated and user.is_suspended)
    return {"suspended": suspended, "member": user}
