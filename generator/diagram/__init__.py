"""Architecture diagrams: resources and references -> a typed sketch -> Mermaid or PNG. Pure but PNG."""
