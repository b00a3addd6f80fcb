"""`python main.py --help`: the hclgen command line (same as the `hclgen` console script)."""

from generator.cli import main

if __name__ == "__main__":
    main()
