"""Which environments a change touches, and why (paths -> envs; git diff through the runner)."""
