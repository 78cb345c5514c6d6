"""
Content app: mechanism articles and FAQs, one registered content type each (apps.py), on the
content kernel (content/). It never imports another content app.
"""
