# Tarikh: `make site` builds kb/ into output/; `make test` runs the tests. Both set up what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SYS_STAMP  := .tarikh-cache/.system-deps

.PHONY: site test check serve bench loadtest clean system-deps venv i18n

site: $(STAMP)
	$(BIN)/tarikh build --kb kb --out output

check: $(STAMP)
	$(BIN)/tarikh check --kb kb

serve: $(STAMP)
	$(BIN)/tarikh serve --kb kb --out output

test: $(TEST_STAMP) system-deps node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest -q

# axe-core (accessibility tests), at the version package.json pins; npm from Debian if missing.
node_modules/axe-core/axe.min.js: package.json
	@command -v npm >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; else echo "missing Debian package: npm (sudo apt-get install npm)"; exit 1; fi; }
	npm install --no-save --no-audit --no-fund --silent axe-core@$$($(PYTHON) -c "import json; print(json.load(open('package.json'))['devDependencies']['axe-core'])")
	touch $@

bench: $(TEST_STAMP)
	$(BIN)/python -m benchmarks.run

venv: $(STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[search]'
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Debian packages the browser tests need: Chromium (driven by Playwright), Java (the W3C Nu
# validator), Arabic fonts. Installed when missing; where apt-get cannot run, stop and name them.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	[ -d /usr/share/fonts/truetype/noto ] || missing="$$missing fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing (install them: sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

loadtest: $(TEST_STAMP)
	$(BIN)/python -m benchmarks.loadtest --json bench-out/loadtest.json

i18n: $(STAMP)
	$(BIN)/python -m builder.i18n_tools update

clean:
	rm -rf output .tarikh-cache
