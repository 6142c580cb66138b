"""The audit web page at ``/audit``: classified feedback, evidence, corrections, agreement (Russian UI)."""
from __future__ import annotations

from api.audit.router import router

__all__ = ["router"]
