"""The self-evaluation report: its context (numbers from data, texts from staff) and its PDF rendering."""
