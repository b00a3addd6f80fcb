"""hclgen engine: Python environment configs -> cdktf synth -> committed Terraform HCL."""
