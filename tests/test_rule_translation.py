"""course_utils.data.generated.rule_translation: the generated English -> Spanish task of notebook 08 (smoke)."""
import numpy as np
import pytest

from course_utils.data.generated import rule_translation as rt


def _rng(seed=0):
    return np.random.default_rng(seed)


def test_pairs_end_with_a_full_stop_and_count_their_clauses():
    pairs = rt.sentence_pairs(300, max_clauses=3, seed=0)
    assert len(pairs) == 300 and len({p.english for p in pairs}) == 300
    assert {p.clauses for p in pairs} == {1, 2, 3}
    for p in pairs:
        assert p.english.endswith(" .") and p.spanish.endswith(" .")
        assert p.english == p.english.lower() and p.spanish == p.spanish.lower()
        conj = sum(w in rt.CONJUNCTIONS for w in p.english.split())
        assert conj == p.clauses - 1
        es = p.spanish.split()
        assert sum(w in ("pero", "mientras") for w in es) == sum(w in ("but", "while") for w in p.english.split())


def test_more_clauses_mean_longer_sentences_on_both_sides():
    pairs = rt.sentence_pairs(600, max_clauses=3, seed=1)
    for side in ("english", "spanish"):
        mean = [np.mean([len(getattr(p, side).split()) for p in pairs if p.clauses == k]) for k in (1, 2, 3)]
        assert mean[0] < mean[1] < mean[2], (side, mean)


def test_agreement_reordering_and_personal_a():
    """Determiners, adjectives and verbs agree; adjectives follow the noun; animate objects get "a"."""
    examples = {}
    rng = _rng(3)
    for _ in range(3000):
        p = rt.make_pair(1, rng, adjective_p=1.0, pp_p=0.0)
        examples[p.english] = p.spanish
    # every clause: det adj [adj] noun verb det adj [adj] noun .
    checked = 0
    nouns = {n[0]: n for n in rt.NOUNS} | {n[1]: n for n in rt.NOUNS}
    for en, es in examples.items():
        words = en.split()
        subj_end = next(i for i, w in enumerate(words) if w in nouns)
        noun = nouns[words[subj_end]]
        plural = words[subj_end] == noun[1]
        slot = (2 if plural else 0) + (noun[4] == "f")
        adjs = [rt.ADJECTIVES[a][slot] for a in words[1:subj_end]]
        expected = [noun[3] if plural else noun[2]] + (adjs if len(adjs) < 2 else [adjs[0], "y", adjs[1]])
        assert es.split()[1:1 + len(expected)] == expected, (en, es)   # noun first, then agreeing adjectives
        verb = next(v for v in rt.VERBS if words[subj_end + 1] in v[:2])
        assert words[subj_end + 1] == (verb[1] if plural else verb[0])
        assert es.split()[1 + len(expected)] == (verb[3] if plural else verb[2]), (en, es)
        checked += 1
    assert checked > 1000
    animate = {n[0] for n in rt.NOUNS if n[5]} | {n[1] for n in rt.NOUNS if n[5]}
    for en, es in examples.items():  # the object follows the verb: "a" (or "al") before it iff it is animate
        words, es_words = en.split(), es.split()
        verb_at = next(i for i, w in enumerate(words) if any(w in v[:2] for v in rt.VERBS))
        es_verb_at = next(i for i, w in enumerate(es_words) if any(w in v[2:] for v in rt.VERBS))
        assert (es_words[es_verb_at + 1] in ("a", "al")) == (words[-2] in animate), (en, es)


def test_fixed_sentences():
    """The contractions and the article "an" on hand-checked cases."""
    assert rt._after("a", ["el", "perro"]) == ["al", "perro"]
    assert rt._after("de", ["el", "árbol"]) == ["del", "árbol"]
    assert rt._after("de", ["la", "casa"]) == ["de", "la", "casa"]
    assert rt._after("en", ["el", "río"]) == ["en", "el", "río"]
    pairs = rt.sentence_pairs(2000, seed=0)
    assert not any(" a apple" in p.english or " a old" in p.english for p in pairs)
    assert any(" an " in p.english for p in pairs)
    assert not any(" de el " in p.spanish or " a el " in p.spanish for p in pairs)


def test_same_seed_same_pairs_and_exclude():
    a, b = rt.sentence_pairs(50, seed=4), rt.sentence_pairs(50, seed=4)
    assert a == b and rt.sentence_pairs(50, seed=5) != a
    held = rt.sentence_pairs(50, seed=6, exclude={p.english for p in a})
    assert not {p.english for p in held} & {p.english for p in a}


def test_bad_arguments(monkeypatch):
    with pytest.raises(ValueError, match="max_clauses must be a positive integer"):
        rt.sentence_pairs(10, max_clauses=0)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        rt.sentence_pairs(-1)
    with pytest.raises(ValueError, match="pp_p must be a probability"):
        rt.sentence_pairs(10, pp_p=1.5)
    # a space of sentences that is used up: one sentence only
    monkeypatch.setattr(rt, "make_pair", lambda k, rng, a, p: rt.Pair("a cat sees a dog .", "un gato ve a un perro .", 1))
    with pytest.raises(ValueError, match="could not draw 2 new distinct sentences"):
        rt.sentence_pairs(2, seed=0)
