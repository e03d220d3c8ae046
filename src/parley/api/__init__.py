"""The HTTP server: a JSON API and the HTML pages over the store (``parley serve``)."""

from parley.api.app import create_app

__all__ = ["create_app"]
