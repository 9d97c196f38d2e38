"""One module per model of the book; each exposes ``build(profile) -> case``."""
