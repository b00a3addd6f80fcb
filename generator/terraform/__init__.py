"""Running Terraform: workspaces, plan/apply/destroy and their rails, saved plans, the state bucket."""
