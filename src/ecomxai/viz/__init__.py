"""Figures (matplotlib) and static HTML views (no CDN scripts). No model, no data set."""
