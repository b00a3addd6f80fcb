# One-command entry points. `make demo` sets up and runs the main job; `make test` sets up, lints
# (ruff check, ruff format --check, mypy --strict) and runs the tests (what .ci/run calls). The virtual environment lives in .venv/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo lint test bench checkov clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	@echo "creating $(VENV) and installing the dependencies (1-2 minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@echo "installed; use $(BIN)/python main.py ... (or: source $(BIN)/activate)"
	@touch $(STAMP)

venv: $(STAMP)

# The main job, against the embedded local AWS (no account, no credentials): check the
# committed HCL, apply dev (progress and the plan summary; terraform's whole output goes to
# .hclgen/logs/dev-apply.log, `-v` streams it), list the outputs. `python main.py local down` stops the local AWS.
demo: venv
	$(BIN)/python main.py synth --check
	$(BIN)/python main.py apply dev --local --auto-approve
	$(BIN)/python main.py output dev --local

# Lint, format check and mypy --strict first (seconds), then the tests. ruff's version is pinned in pyproject.toml.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy --strict --ignore-missing-imports generator modules main.py

test: lint
	$(BIN)/pytest -n 2 --dist loadfile --durations=25

# checkov on environments/prod against its baseline (the test makes checkov's own venv on first use).
checkov: venv
	$(BIN)/pytest -q tests/test_checkov.py

bench: venv
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) .hclgen .pytest_cache
