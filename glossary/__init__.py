"""
Content app: glossary entries, registered as a content type (apps.py) and as the source of
the terms marked in other content, which it re-marks when the glossary changes (marking.py,
signals.py). It never imports another content app.
"""
