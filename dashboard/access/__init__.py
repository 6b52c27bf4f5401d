"""Access control and personal-data protection (filled in below)."""
