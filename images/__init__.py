"""
The media library: checked uploads (uploads.py), images and their descriptions, renditions
(renditions.py, rendering.py, made by the worker: tasks.py), the endpoints and the admin.
Below the entry machinery: content refers to images, never the other way (images reads only
the registry of content types and the change log, which anything may read).
"""
