"""Barrier-theme classification: training data, the classifier interface and its backends.

It knows nothing of the database or of Telegram.
"""
