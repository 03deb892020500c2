"""Publishing: the content-addressed cache, and the locked, staged, atomic switch of a published review."""
