"""One module per page: layout only. Figures come from ``dashboard.queries``."""
