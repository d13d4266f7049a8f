# Two entry points: `make site` builds the site from the shipped catalogue, `make test` runs
# every test. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve check browser-deps clean

site: $(STAMP)
	$(BIN)/xcert demo
	$(BIN)/xcert build
	@echo ""
	@echo "The site is in site/. Serve it with:  $(BIN)/xcert serve   then open http://127.0.0.1:8000/"

serve: $(STAMP)
	$(BIN)/xcert serve

check: $(STAMP)
	$(BIN)/xcert check

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

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
