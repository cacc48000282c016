"""Data sets made by code, offline and seeded: opinion reviews (``reviews``), the date-format
task (``dates``), sentences of homographs in two senses (``senses``), rule-based English->Spanish
pairs (``rule_translation``) and the long-range key task (``longrange``)."""
