"""Data sets: synthetic generators with planted ground truth, and real data read from wheels.

Import the module you need, e.g. ``from ecomxai.data import catalog``.
"""
