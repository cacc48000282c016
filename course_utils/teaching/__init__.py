"""The teaching library: the pieces notebooks import, each module one concept, in course order.

- ``numpy_rnn``: SimpleRNN, LSTM and GRU in NumPy, the references Keras is checked against (04, 05)
- ``evaluation``: word similarity, analogies, perplexity, BLEU (03, 06, 08)
- ``language_model``: character vocabulary, n-gram baselines, temperature sampling (06)
- ``bilm``: the ELMo-style biLM and the scalar mix (07)
- ``attention``: dot, additive, scaled dot-product and multi-head attention in NumPy (08, 09, 10)
- ``seq2seq``: RNN encoder-decoders with and without attention (08, 09)
- ``decoding``: greedy and beam search for any encoder-decoder (08, 09)
- ``transformer``: positional encodings, encoder and decoder blocks, BERT (09, 10)
- ``masked_lm``: WordPiece, 80/10/10 masking, next-sentence pairs, pre-training batches (10)
- ``checkpoint``: the course's pre-trained mini-BERTs and their checked loaders (10; ``assets/``)
- ``bag_of_words``: TF-IDF + logistic regression, the baseline of the label-efficiency curve (10)
- ``batching``: batches of similar length (05, 08, 09, 10); ``schedules``: warm-up then decay (10)
- ``plots``: small, consistent figures

It imports the data layer (``course_utils.data``) and ``course_utils.validate``, never the machinery.
"""
