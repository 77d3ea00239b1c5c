"""The one import other apps need: `require_consent(*people)` (see services)."""

from umka.privacy.services import require_consent

__all__ = ["require_consent"]
