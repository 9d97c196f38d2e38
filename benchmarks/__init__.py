"""The explanation benchmark: ``python -m benchmarks.run [--reduced]`` (``make bench``)."""
