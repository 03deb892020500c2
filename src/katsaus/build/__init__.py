"""Building a review: prepare, check, run the sections on workers or a Dask cluster, with their keys."""
