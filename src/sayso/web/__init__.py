"""The analyst's workbench: `sayso serve` runs `create_app(db)` with uvicorn."""

from sayso.web.app import create_app

__all__ = ["create_app"]
