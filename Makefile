# Two entry points: `make site` builds the site from the shipped catalogue, `make test` runs
# every test. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The browser code's linter and formatter (Biome), pinned by package-lock.json.
NODE_STAMP := node_modules/.installed
# The generic-verifier test's VC stack (tests/interop), pinned by its own package-lock.json.
INTEROP_STAMP := tests/interop/node_modules/.installed

.PHONY: site test lint serve check browser-deps clean

site: $(STAMP)
	$(BIN)/xcert demo
	$(BIN)/xcert build
	@echo ""
	@echo "The site is in site/. Serve it with:  $(BIN)/xcert serve   then open http://127.0.0.1:8000/"

serve: $(STAMP)
	$(BIN)/xcert serve

check: $(STAMP)
	$(BIN)/xcert check

test: $(STAMP) $(NODE_STAMP) $(INTEROP_STAMP) browser-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider -n auto --dist loadscope

# The code's own checks (tests/test_code_style.py runs the same ones inside `make test`).
lint: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	node_modules/.bin/biome ci --error-on-warnings site_src/assets

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(INTEROP_STAMP): tests/interop/package.json tests/interop/package-lock.json
	cd tests/interop && npm ci --no-audit --no-fund --loglevel=error
	touch $(INTEROP_STAMP)

# The browser tests drive Debian's Chromium; Playwright's own browser download cannot work here.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "Install Chromium and CJK fonts first: sudo apt-get install chromium fonts-noto-cjk"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf site .site.build-* .site.lock
