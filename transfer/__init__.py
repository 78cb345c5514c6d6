"""
Content kept as files: export_content, import_content and the demo loader.

files.py reads and writes the format (Markdown with YAML front matter, taxonomy.yaml);
services.py exports every entry and plans and applies an import, validating everything
before it writes. The management commands are thin wrappers around services.py.
"""
