"""Cost room: the price table, usage assumptions, per-type billing rules, the estimate and its report."""
