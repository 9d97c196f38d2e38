"""Metrics for explanations and recommenders. Framework-agnostic: plain arrays and callables."""

__all__: list[str] = []  # import from the modules
