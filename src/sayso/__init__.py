"""sayso: on whose say-so? Attributed statements, entities and events from news articles."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sayso")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+src"

from sayso.pipeline import analyze, analyze_documents  # noqa: E402

__all__ = ["__version__", "analyze", "analyze_documents"]
