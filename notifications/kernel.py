"""The shared pieces notifications uses that are moving into the kernel (core.ratelimit,
core.schemas) on another branch: imported here once, so the move changes one file.

The error schemas come through accounts.api (which imports them from config.schemas)
because notifications must not import config (pyproject.toml, import-linter).
"""

from accounts.api import RETRY_AFTER, error_responses, member_auth
from forum.ratelimit import check_rate

__all__ = ["RETRY_AFTER", "check_rate", "error_responses", "member_auth"]
