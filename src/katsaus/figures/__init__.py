"""The figures: income-statement lines, the period's figures per cost centre, investments, references."""
