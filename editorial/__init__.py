"""
Editorial: the workflow, medical review and sign-off, history, preview links, write services,
the content generation and the change log, and the admin's editor. It hangs off the content
kernel (content/) and never imports a content app.
"""
