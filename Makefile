# prpg developer commands. `make demo` and `make test` are the README's two quick-start commands:
# each creates .venv when missing (CPU-capable torch pinned here, the package itself keeps torch loose).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TORCH := torch==2.14.1 torchvision==0.29.1
STAMP := $(VENV)/.prpg-installed
export HF_HUB_OFFLINE := 1
export PYTHONUNBUFFERED := 1

.PHONY: venv demo test sync pytest bench clean-runs browser

$(STAMP): settings.ini setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[dev]" $(TORCH)
	@touch $@

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/prpg demo --config data/demo.yaml

# Notebooks are the source of truth: cleaning and exporting them must not change any tracked file.
sync: $(STAMP)
	@state() { git status --porcelain --untracked-files=all; git diff | sha1sum; }; \
	before=$$(state); \
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export; \
	after=$$(state); \
	if [ "$$before" != "$$after" ]; then \
	  echo "ERROR: nbdev_clean/nbdev_export changed files: notebooks and prpg/ are out of step (or notebooks unclean)."; \
	  echo "Commit the cleaned notebooks together with the export:"; git status --short; exit 1; \
	else echo "nbdev_clean + nbdev_export: tree unchanged"; fi

pytest: $(STAMP)
	$(BIN)/python -m pytest tests --durations=8

# The browser test (tests/test_browser.py) drives a widget in Debian's chromium through playwright; voila and
# playwright come with .[dev]. Never `playwright install` (it downloads browsers).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and cannot be installed here: the browser test will be skipped"; fi; }

test: sync browser pytest

bench: $(STAMP)
	for f in bench/[a-z]*.py; do $(BIN)/python $$f || exit 1; done

clean-runs:
	rm -rf runs
