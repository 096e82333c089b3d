"""The real-council speaker evaluation set: labels, rules and their checker."""
