"""Comment room: the plan model, cost, policy and CI status -> one markdown pull-request comment."""
