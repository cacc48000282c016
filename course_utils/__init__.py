"""Helpers for the notebook course "Deep Learning for Text and Sequences".

Plumbing (profiles, data, metrics, plots, the runner) and the reference
implementations the notebooks check Keras against. Modules, by concept:

- ``config``: profiles, parameter validation, seeds, the banner (:func:`setup`)
- ``data``: loaders, cache, checksums, generated data
- ``metrics``: :func:`record` a result beside its reference figure
- ``text``: small text utilities shared by notebooks (n-grams, hashing)
- ``plots``: consistent, small figures
- ``runner`` / ``site`` / ``refresh``: headless execution behind ``python -m course_utils``
"""
from .config import Config, setup
from .metrics import record

__all__ = ["Config", "setup", "record"]
__version__ = "0.1.0"
