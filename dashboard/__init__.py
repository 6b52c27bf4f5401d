"""Programme board dashboard for integrated housing-support and adaptation services."""
