"""
Content app: plain-language research summaries and their structured citations (citations.py:
authors, CSL-JSON), registered as a content type (apps.py) on the content kernel (content/).
It never imports another content app.
"""
