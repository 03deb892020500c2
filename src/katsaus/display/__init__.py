"""What the notebooks show: the prepared review, its tables, charts, texts and open data."""
