"""Metrics for explanations and recommenders. Framework-agnostic: plain arrays and callables."""
