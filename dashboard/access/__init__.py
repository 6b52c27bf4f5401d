"""Access control and personal-data protection: who may see and do what.

The surface pages and command lines use: ``Role``, ``User`` and ``require`` (checked again inside
every write) here; ``signin`` (who is using this run), ``role_store`` (the roles an administrator
gives), ``audit`` (the append-only trail), ``screening`` (personal data in free text) and
``public_figures`` (the disclosure-control rules every public output applies). This package file
imports nothing heavy, so the pure modules stay cheap to import.
"""

from dashboard.access.roles import ACTIONS, ROLE_DESCRIPTIONS, PermissionDenied, Role, User, require

__all__ = ["ACTIONS", "ROLE_DESCRIPTIONS", "PermissionDenied", "Role", "User", "require"]
