"""A generated long-range dependency: name the key that opened a long sequence (notebook 09).

Each sequence is ``length`` token ids. Position 0 holds one of ``n_keys`` *key* tokens; every
other position holds a *filler* token drawn uniformly from ``n_fillers`` others. The label is the
key (0 .. n_keys-1). Keys never appear after position 0, so the answer is in one place only,
``length - 1`` positions before the end of the sequence::

    [key_2, f_13, f_7, f_7, f_19, ..., f_4]   ->  label 2

A model that reads the sequence in order and answers at the end (an LSTM's last state) must
carry the key through ``length - 1`` updates, and its gradient must flow back through as many;
a self-attention layer reaches position 0 from the last position in one step. Chance accuracy
is ``1 / n_keys``. Token ids: 0 is padding (never used here), ``1 .. n_fillers`` the fillers,
``n_fillers + 1 .. n_fillers + n_keys`` the keys. Deterministic per seed; any size.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FirstTokenTask", "first_token_task"]


@dataclass(frozen=True)
class FirstTokenTask:
    """``x`` (n, length) int32 token ids, ``y`` (n,) int32 key labels, and the id layout."""

    x: np.ndarray
    y: np.ndarray
    n_keys: int
    n_fillers: int

    @property
    def vocab_size(self) -> int:
        """Ids 0 .. vocab_size - 1: padding, the fillers, the keys."""
        return 1 + self.n_fillers + self.n_keys

    @property
    def length(self) -> int:
        return self.x.shape[1]

    def key_id(self, label: int) -> int:
        return 1 + self.n_fillers + int(label)


def _check_int(name: str, value, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")


def first_token_task(n: int, length: int = 100, n_keys: int = 4, n_fillers: int = 20,
                     seed: int = 0) -> FirstTokenTask:
    """``n`` sequences of ``length`` tokens whose label is the key at position 0 (see the module)."""
    _check_int("n", n, 1)
    _check_int("length", length, 2)
    _check_int("n_keys", n_keys, 2)
    _check_int("n_fillers", n_fillers, 1)
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_keys, n)
    x = rng.integers(1, n_fillers + 1, (n, length))
    x[:, 0] = 1 + n_fillers + y
    return FirstTokenTask(x.astype(np.int32), y.astype(np.int32), n_keys, n_fillers)
