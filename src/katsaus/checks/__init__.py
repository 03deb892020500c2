"""The data checks: Great Expectations suites and the project's rules, gathered into one outcome."""
