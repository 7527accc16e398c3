# Two entry points (see README): `make demo` and `make test`. Both build .venv from pinned versions.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= sayso.db

.PHONY: demo test install lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

DATA := src/sayso/nlp/data
GAZETTEER := $(DATA)/gazetteer.tsv.gz
NAMES := $(DATA)/first_names.tsv.gz

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# Built data, rebuilt when its builder or the data files it reads change.
$(GAZETTEER): $(VENV)/.installed src/sayso/nlp/normalise/build_gazetteer.py \
		$(DATA)/place_regions.json $(DATA)/country_aliases.tsv
	$(BIN)/python -m sayso.nlp.normalise.build_gazetteer

$(NAMES): $(VENV)/.installed src/sayso/nlp/entities/build_names.py
	$(BIN)/python -m sayso.nlp.entities.build_names

install: $(VENV)/.installed $(GAZETTEER) $(NAMES)

demo: install
	$(BIN)/sayso analyze examples/ --db $(DB)
	@for id in $$($(BIN)/sayso show --db $(DB) | cut -d' ' -f1); do $(BIN)/sayso show --db $(DB) $$id; done

lint: install
	$(BIN)/ruff check src tests scripts

test: install lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .ruff_cache
