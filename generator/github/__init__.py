"""The one door to GitHub: REST calls, event and env parsing, step summaries, sticky comment and issues."""
