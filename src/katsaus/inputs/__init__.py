"""Reading the inputs: the tables of the data contract, texts, KPIs and strategy tables, within limits."""
