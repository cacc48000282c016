"""course_utils.teaching.checkpoint: the smoke profile's shipped mini-BERT, its recipe and its loader."""
import json
import shutil

import numpy as np
import pytest

from course_utils.teaching import checkpoint, masked_lm
pytest.importorskip("tokenizers")


def test_the_shipped_checkpoint_loads_and_matches_its_recipe():
    tokenizer, bert, pretrainer, card = checkpoint.load_smoke_bert()
    assert card["recipe"] == checkpoint.SMOKE_BERT
    assert [tokenizer.id_to_token(i) for i in range(5)] == list(masked_lm.SPECIAL_TOKENS)
    assert tokenizer.get_vocab_size() == card["vocab_size"]
    r = checkpoint.SMOKE_BERT
    assert bert.get_layer("embedding").d_model == r["d_model"]
    assert len([layer for layer in bert.layers if layer.name.startswith("encoder_")]) == r["num_layers"]
    assert checkpoint.max_predictions(r["max_len"], r["mask_rate"]) == 8     # slots per row in its training data
    assert card["sha256"] == checkpoint.SHA256
    # the card's last held-out figures are those of the shipped weights
    _, held_out = checkpoint.smoke_pretraining_data(tokenizer)
    scores = masked_lm.held_out_accuracy(pretrainer, held_out, vocab_size=card["vocab_size"], mask_rate=r["mask_rate"])
    assert scores["mlm"] == pytest.approx(card["history"][-1]["held_out_mlm_accuracy"], abs=2e-3)


def test_a_damaged_or_missing_file_is_refused_with_the_fix(tmp_path):
    for name in checkpoint.FILES.values():
        shutil.copy(checkpoint.ASSETS / name, tmp_path / name)
    weights = tmp_path / checkpoint.FILES["weights"]
    raw = bytearray(weights.read_bytes())
    raw[-100] ^= 0xFF
    weights.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="SHA-256") as err:
        checkpoint.load_smoke_bert(tmp_path)
    assert checkpoint.FILES["weights"] in str(err.value) and "python -m course_utils.teaching.checkpoint" in str(err.value)
    (tmp_path / checkpoint.FILES["tokenizer"]).unlink()
    with pytest.raises(FileNotFoundError, match="smoke_bert_tokenizer.json is missing"):
        checkpoint.load_smoke_bert(tmp_path)


def test_the_recipe_runs_end_to_end_at_tiny_scale(tmp_path):
    tiny = dict(n_reviews=120, held_out_reviews=20, d_model=16, num_heads=2, d_ff=32, num_layers=1, epochs=1)
    card = checkpoint.train_smoke_bert(tmp_path, tiny, log=lambda *_: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(checkpoint.FILES.values())
    on_disk = json.loads((tmp_path / checkpoint.FILES["card"]).read_text())
    assert on_disk == card and card["recipe"]["d_model"] == 16 and len(card["history"]) == 1
    assert card["training_pairs"] > 0 and card["held_out_pairs"] > 0 and str(tmp_path) not in json.dumps(card)
    tokenizer, bert, _, _ = checkpoint.load_smoke_bert(tmp_path, check=False)
    assert bert.count_params() > 0 and tokenizer.get_vocab_size() == card["vocab_size"]


def test_training_and_held_out_pairs_come_from_their_own_reviews():
    tokenizer = masked_lm.train_wordpiece(["the plot was dull ."] * 5, vocab_size=50, min_frequency=1)
    recipe = dict(n_reviews=200, held_out_reviews=40)
    from course_utils.data.imdb import imdb_unsup_text

    texts = imdb_unsup_text("smoke", n_smoke=200, aspects_per_review=checkpoint.SMOKE_BERT["aspects_per_review"])
    train, held = checkpoint.smoke_pretraining_data(tokenizer, recipe)
    n_train = sum(len(masked_lm.split_sentences(t)) - 1 for t in texts[40:])
    n_held = sum(len(masked_lm.split_sentences(t)) - 1 for t in texts[:40])
    assert len(train[0]) == n_train and len(held[0]) == n_held and np.isin(held[2], [0, 1]).all()


def test_cli_refuses_a_bad_epoch_count(capsys):
    with pytest.raises(SystemExit):
        checkpoint.main(["--epochs", "0"])
    assert "--epochs must be a positive integer" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        checkpoint.main(["--full", "--steps", "10"])
    assert "--steps must be an integer > 300" in capsys.readouterr().err


def test_the_checkpoint_without_nsp_loads_and_matches_its_recipe():
    tokenizer, bert, pretrainer, card = checkpoint.load_smoke_bert_no_nsp()
    assert card["recipe"] == checkpoint.SMOKE_BERT_NO_NSP and card["recipe"]["nsp_weight"] == 0
    assert card["sha256"] == checkpoint.NO_NSP_SHA256
    assert {k: v for k, v in card["recipe"].items() if k != "nsp_weight"} == checkpoint.SMOKE_BERT
    assert tokenizer.get_vocab_size() == card["vocab_size"] and bert.count_params() > 0


@pytest.mark.parametrize("loader, files, fix", [
    (checkpoint.load_full_bert, checkpoint.FULL_FILES, "python -m course_utils.teaching.checkpoint --full"),
    (checkpoint.load_smoke_bert_no_nsp, checkpoint.NO_NSP_FILES, "python -m course_utils.teaching.checkpoint --no-nsp"),
])
def test_the_other_checkpoints_refuse_a_wrong_checksum_or_a_missing_file(tmp_path, loader, files, fix):
    for name in files.values():
        (tmp_path / name).write_text("not a checkpoint\n")
    with pytest.raises(ValueError, match="SHA-256") as err:
        loader(tmp_path)
    message = str(err.value)
    assert files["tokenizer"] in message and fix in message and "SHA256[" in message
    (tmp_path / files["weights"]).unlink()
    with pytest.raises(FileNotFoundError, match=files["weights"] + " is missing") as err:
        loader(tmp_path)
    assert fix in str(err.value)


@pytest.mark.parametrize("segment_pieces", [None, 14])   # sentence pairs (the shipped recipe), segment pairs
def test_the_full_recipe_runs_end_to_end_at_tiny_scale(tmp_path, segment_pieces):
    unsup = tmp_path / "data" / "aclImdb" / "train" / "unsup"
    unsup.mkdir(parents=True)
    rng = np.random.default_rng(0)
    words = "the plot acting music was good bad dull great and but film movie story".split()
    for i in range(40):
        sentences = [" ".join(rng.choice(words, 6)) + "." for _ in range(5)]
        (unsup / f"{i}_0.txt").write_text(" ".join(sentences))
    tiny = dict(n_reviews=40, held_out_reviews=8, vocab_size=60, max_len=32, d_model=16, num_heads=2, d_ff=32,
                num_layers=1, warmup_steps=1, total_steps=3, batch_size=8, segment_pieces=segment_pieces)
    out = tmp_path / "out"
    card = checkpoint.train_full_bert(tmp_path / "data", out, tiny, log=lambda *_: None, save_every=2, eval_every=2)
    assert sorted(p.name for p in out.iterdir()) == sorted(checkpoint.FULL_FILES.values())
    on_disk = json.loads((out / checkpoint.FULL_FILES["card"]).read_text())
    assert on_disk == card and card["final"] and card["steps"] == 3 and card["recipe"]["d_model"] == 16
    assert [h["step"] for h in card["history"]] == [2, 3] and 0 <= card["history"][-1]["held_out_nsp_accuracy"] <= 1
    assert str(tmp_path) not in json.dumps(card)
    tokenizer, bert, _, _ = checkpoint.load_full_bert(out, check=False)
    assert bert.count_params() > 0 and tokenizer.get_vocab_size() == card["vocab_size"]


def test_the_package_ships_the_checkpoint_files():
    from pathlib import Path

    tomllib = pytest.importorskip("tomllib")

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert "assets/*" in pyproject["tool"]["setuptools"]["package-data"]["course_utils.teaching"]
    assert "full_results/*.json" in pyproject["tool"]["setuptools"]["package-data"]["course_utils.course"]
    for files in (checkpoint.FILES, checkpoint.NO_NSP_FILES, checkpoint.FULL_FILES):
        assert all((checkpoint.ASSETS / name).is_file() for name in files.values())


def test_the_shipped_full_checkpoint_loads_and_matches_its_recipe():
    tokenizer, bert, pretrainer, card = checkpoint.load_full_bert()
    assert card["recipe"] == checkpoint.FULL_BERT and card["final"] and card["steps"] == checkpoint.FULL_BERT["total_steps"]
    assert card["sha256"] == checkpoint.FULL_SHA256
    assert tokenizer.get_vocab_size() == card["vocab_size"] == checkpoint.FULL_BERT["vocab_size"]
    assert bert.get_layer("final_norm") is not None       # pre-norm blocks end with a layer norm
    assert sum((checkpoint.ASSETS / n).stat().st_size for n in checkpoint.FULL_FILES.values()) < 10 * 2**20
