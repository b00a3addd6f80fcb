"""The six building blocks (vpc, alb, ecs, rds, ecr, iam) and the stack that wires them."""
