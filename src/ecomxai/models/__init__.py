"""Models of the book (Keras, PyTorch, NumPy). They may use :mod:`ecomxai.data` types.

A model never explains itself: the explanations live in :mod:`ecomxai.studies`.
"""
