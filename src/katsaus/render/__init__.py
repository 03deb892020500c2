"""Rendering: an executed notebook to an HTML and a PDF section, and the sections stitched into the review."""
