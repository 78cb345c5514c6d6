"""
Editorial: the workflow, medical review and sign-off, the write services (which the entry
machinery writes through: entries/writing.py), preview links, and the admin of content with its
Markdown editor. It hangs off the content kernel (content/) and never imports a content app; the
records it works on (reviewers, sign-offs, translations, the change log) are in publishing/.
"""
