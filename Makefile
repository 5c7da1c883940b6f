# Leading for Learning: build, test and run the book. Every target creates .venv when it is missing,
# so on a fresh machine `make book` and `make test` are the whole set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := _build
HTML := $(BUILD)/html
REPORTS := $(BUILD)/test-reports
PORT ?= 8000
JB_FLAGS := -W -n --keep-going

.PHONY: help book check-data test test-unit test-content test-notebooks test-build test-browser lint serve workshop bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

book: $(STAMP) ## Build the HTML book into _build/html (strict: any warning fails)
	$(BIN)/python scripts/build_book.py

check-data: $(STAMP) ## Check data/, _config.yml and _toc.yml; every mistake with its fix
	$(BIN)/python scripts/check_data.py

test: $(STAMP) ## Run every test suite: unit, content, book build, notebooks, browser
	@rm -rf $(REPORTS); mkdir -p $(REPORTS)
	@status=0; \
	$(MAKE) --no-print-directory test-unit || status=1; \
	$(MAKE) --no-print-directory test-content || status=1; \
	$(MAKE) --no-print-directory test-build || status=1; \
	$(MAKE) --no-print-directory test-notebooks || status=1; \
	$(MAKE) --no-print-directory test-browser || status=1; \
	$(BIN)/python scripts/test_summary.py $(REPORTS) || status=1; \
	exit $$status

test-unit: $(STAMP) ## Unit and property tests of widgets/, plus lint
	$(BIN)/ruff check widgets tests scripts
	$(BIN)/ruff format --check widgets tests scripts
	$(BIN)/pytest tests/unit -q -p no:cacheprovider --junitxml=$(REPORTS)/unit.xml

test-content: $(STAMP) ## The book's content: citations, glossary, data files as shipped
	$(BIN)/pytest tests/content -q -p no:cacheprovider --junitxml=$(REPORTS)/content.xml

test-notebooks: $(STAMP) ## Execute every notebook with nbval
	$(BIN)/python scripts/nbval_run.py --junitxml=$(CURDIR)/$(REPORTS)/notebooks.xml

test-build: $(STAMP) ## The strict book build, checked page by page
	$(BIN)/pytest tests/build -q -p no:cacheprovider --junitxml=$(REPORTS)/build.xml

test-browser: $(STAMP) ## Every page in headless Chromium: errors, requests, charts, widgets, axe
	$(BIN)/pytest tests/browser -q -p no:cacheprovider --junitxml=$(REPORTS)/browser.xml

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check widgets tests scripts
	$(BIN)/ruff format --check widgets tests scripts

serve: $(STAMP) ## Serve the built book on http://127.0.0.1:$(PORT)
	@test -f $(HTML)/index.html || $(MAKE) --no-print-directory book
	@echo "Serving $(HTML) at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

workshop: $(STAMP) ## Start the workshop apps in Voila on 127.0.0.1
	$(BIN)/python scripts/workshop.py

bench: $(STAMP) ## Measure build, test and tool performance against budgets
	$(BIN)/python scripts/bench.py

clean: ## Remove the build output (keeps .venv and your saved data)
	rm -rf $(BUILD)
