"""
A throwaway content type (notes) for tests/test_content_registry.py: a model, its serializers and
its viewset, as a content app has them. Installed in the test settings only; registered as a
content type by the test alone, so the rest of the suite and the schema never see it, or from
the start in a process of its own (settings.py, registered.py).
"""
