"""Models of the book (Keras, PyTorch, NumPy). They may use :mod:`ecomxai.data` types."""
