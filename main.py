"""`python main.py --help`: the hclgen command line (same as the `hclgen` console script)."""

import sys

try:
    from generator.cli import main
except ImportError as err:  # run with a python that lacks the project's dependencies
    sys.exit(
        f"error: {err}; use the project's virtualenv: `make venv`, then `.venv/bin/python main.py ...` "
        "(or `source .venv/bin/activate`)"
    )

if __name__ == "__main__":
    main()
