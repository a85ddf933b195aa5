"""What staff and the network receive: transcript exports and the findings report.

Everything here reads through ``storage`` and writes text only after the
redactor (``privacy.redact``) has seen it. Nothing here knows Telegram.
"""
