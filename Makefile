# prpg developer commands. `make demo` and `make test` are the README's two quick-start commands:
# each creates .venv when missing, installing exactly the tested set of versions in .ci/lock.txt (the package itself
# keeps only bounds that exclude known-bad releases; torch stays loose there for Colab and GPU users).
# `make lock` refreshes the tested set deliberately: newest releases in a fresh venv, the whole suite, then the lock.
# `make LOCK= demo` installs without the lock (another OS or Python, where some locked wheel does not exist).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TORCH := torch==2.14.1 torchvision==0.29.1
STAMP := $(VENV)/.prpg-installed
LOCK ?= .ci/lock.txt
CONSTRAINTS := $(if $(LOCK),-c $(LOCK))
export HF_HUB_OFFLINE := 1
export PYTHONUNBUFFERED := 1

.PHONY: venv demo test sync pytest bench clean-runs browser lint lock lock-add lessons lab

$(STAMP): settings.ini setup.py $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(CONSTRAINTS) $(TORCH)
	$(BIN)/python -m pip install -q $(CONSTRAINTS) -e ".[dev]" $(TORCH)
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
	$(BIN)/python -m pytest tests --durations=15 --durations-min=0

# The browser test (tests/test_browser.py) drives a widget in Debian's chromium through playwright; voila and
# playwright come with .[dev]. Never `playwright install` (it downloads browsers).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and cannot be installed here: the browser test will be skipped"; fi; }

# Lint the exported modules, the benchmarks and the tools: pyflakes' checks (unused imports, undefined names, ...) through ruff.
lint: $(STAMP)
	$(BIN)/ruff check prpg bench tools --select F --exclude prpg/_modidx.py

test: sync lint browser pytest

# The lessons' outputs: a show_doc cell after each exported cell's public functions, and the documentation and
# pictures a run of every notebook draws (printed text and timings are dropped); then the notebooks are cleaned.
lessons: $(STAMP)
	$(BIN)/python tools/lessons.py && $(BIN)/nbdev_clean

bench: $(STAMP)
	for f in bench/[a-z]*.py; do $(BIN)/python $$f || exit 1; done

# Refresh the tested set: a fresh venv with the newest releases the bounds in settings.ini allow, the whole suite,
# and only when it passes, a new .ci/lock.txt (review its diff, then commit it with any bound it needed).
LOCKVENV := .venv-lock
lock:
	rm -rf $(LOCKVENV) && $(PYTHON) -m venv $(LOCKVENV)
	$(LOCKVENV)/bin/python -m pip install -q --upgrade pip
	$(LOCKVENV)/bin/python -m pip install -q --upgrade $(TORCH)
	$(LOCKVENV)/bin/python -m pip install -q --upgrade -e ".[dev]" $(TORCH)
	$(LOCKVENV)/bin/python -m pytest tests -q
	{ echo "# The tested set of versions (Python $$($(LOCKVENV)/bin/python -c 'import platform; print(platform.python_version(), platform.machine())')), written by \`make lock\` on $$(date -u +%F)."; \
	  echo "# make installs from it with pip -c; refresh with \`make lock\`; \`make lock-add\` pins a new requirement's packages; never by hand."; \
	  $(LOCKVENV)/bin/python -m pip freeze --exclude-editable | grep -v '^-e '; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	@echo "wrote $(LOCK): review \`git diff $(LOCK)\`, then commit it"

# After adding a requirement to settings.ini: install it against the lock and pin the packages it brought in, every
# existing pin unchanged (tools/lock_add.py); then the suite tests the new set like any change.
lock-add: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > $(VENV)/freeze.txt
	$(BIN)/python tools/lock_add.py $(LOCK) $(VENV)/freeze.txt

# JupyterLab from the venv on the notebooks (nbs/: the lessons, and tutorials/), the walkthrough open. Extra arguments: make lab LAB_ARGS="--port 8899".
# As root (containers, Colab-like machines) JupyterLab refuses to start without --allow-root.
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=nbs $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS) nbs/tutorials/walkthrough.ipynb

clean-runs:
	rm -rf runs
