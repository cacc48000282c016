"""Data sets made by code, offline and seeded: opinion reviews (``reviews``), the date-format
task (``dates``) and sentences of homographs in two senses (``senses``)."""
