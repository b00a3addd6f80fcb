"""Reports room: after an apply (summary, failed-apply issues) and drift (one issue per drifted env)."""
