"""Helpers for the notebook course "Deep Learning for Text and Sequences".

Machinery (how the course runs):

- ``config``: profiles, parameter validation, seeds, the banner (:func:`setup`)
- ``metrics``: :func:`record` a result beside its reference figure (or, for round-off, its bound)
- ``plots``: consistent, small figures
- ``runner`` / ``site`` / ``refresh``: headless execution behind ``python -m course_utils``
- ``data``: loaders, cache, checksums, and generated data (reviews, senses, the dates task)
- ``batching``: batches of similar length for variable-length text (05 and 09, full profile)

Teaching pieces (what the notebooks check Keras against, or reuse), in course order:

- ``reference``: SimpleRNN, LSTM, GRU in NumPy (04, 05)
- ``evaluation``: similarity, analogies, perplexity, BLEU (03, 06, 08)
- ``language_model``: character vocabulary, n-gram baselines, sampling (06)
- ``bilm``: the ELMo-style biLM and the scalar mix (07)
- ``attention``: dot, additive, scaled dot-product and multi-head attention in NumPy (08, 09)
- ``seq2seq``: RNN encoder-decoders with and without attention (08)
- ``decoding``: greedy and beam search for any encoder-decoder (08)
- ``transformer``: positional encodings, encoder and decoder blocks, BERT (09, 10)
- ``masked_lm``: WordPiece, 80/10/10 masking, next-sentence pairs (10)
"""
from .config import Config, setup
from .metrics import record

__all__ = ["Config", "setup", "record"]
__version__ = "0.1.0"
