"""The meeting cycle: meetings, commentary, actions, the figures frozen when papers are issued,
and what changed since the last meeting. The only code outside the loader that writes data.

Every write takes the signed-in ``User``, checks the role again on the server
(``dashboard.access.require``), runs in one transaction and records itself in the audit trail.
"""
