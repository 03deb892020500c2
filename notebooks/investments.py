# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (katsaus)
#     language: python
#     name: katsaus
# ---

# %% tags=["parameters"]
period = "2022-06"  # review period YYYY-MM: January through that month
data_dir = "../data"  # the data folder (docs/data.md)
prepared = ""  # the build's prepared figures; computed from data_dir when empty
language = "fi"  # the review's language: fi or sv

# %%
from IPython.display import HTML, display

from katsaus.display.review import Review

review = Review.open(period, data_dir, prepared, language)

# %%
display(HTML(review.investments_html()))
