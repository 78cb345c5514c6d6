"""
Consultation enquiries from the website's contact form: the form and its tokens, CAPTCHA,
fields encrypted at rest (crypto.py), the services that store and notify, the admin, and
retention and erasure (commands, tasks.py). Beside the content; no content app imports it.
"""
