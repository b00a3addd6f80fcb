"""Policy room: checkov (in its own venv) at the base and now, the findings a change adds or fixes."""
