"""
Metrics, traces and error reports: what operations sees of the service.

Every layer may import this package (the API, the content apps, background workers); it
imports nothing of the project, so dependencies still point one way.
"""
