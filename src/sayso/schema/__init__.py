"""The JSON output contract as a JSON Schema (draft 2020-12), shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any


@lru_cache(maxsize=1)
def analysis_schema() -> dict[str, Any]:
    """The schema every `Analysis.to_dict()` result satisfies, loaded once per process."""
    return json.loads(files(__name__).joinpath("analysis.schema.json").read_text("utf-8"))


def validate_analysis(data: dict[str, Any]) -> None:
    """Raise `jsonschema.ValidationError` when `data` breaks the contract."""
    import jsonschema

    jsonschema.Draft202012Validator(analysis_schema()).validate(data)
