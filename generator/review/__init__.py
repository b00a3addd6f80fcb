"""Review: plan JSON -> one plan model -> the pull-request comment, GitHub posting, affected envs."""
