"""The plan floor: Terraform plan JSON -> the one plan model (EnvPlan), its digest, its files on disk."""
