"""Word steering through a server's logit_bias: a fixed bias per token, the same at every position.

Locally the word bias also favours the rest of a word once its first token is written, and a ban
holds in any tokenization because the decoded text is matched at every step (phrase_bans.py); both
need the text so far at each step, which a server's logit_bias cannot see. So here a topic's tokens
that stand on their own get their bias, and each form a ban covers is blocked, in its usual
tokenizations, by its most specific token (the longest piece): the word stays out at the price of
that piece.

A phrase bias gets the tokens that begin the phrase at a word start, as the local rule's first token
(decode/phrase_bans.PhraseBias): a token writing at least two of its characters and nothing else, or
the whole phrase and more (바다 → ▁바다, ▁바다를, ▁바다에서). What follows the beginning of a longer
phrase cannot have it: a fixed bias cannot see that the phrase has begun, and favouring 바다 everywhere
for 푸른 바다 would be another setting. So a phrase's start becomes likelier or rarer, and once
begun, the model goes on as it would."""

from __future__ import annotations

from storyteller.engine.decode.phrase_bans import collapse, vocabulary
from storyteller.engine.korean.words import ban_phrases, model_pieces, surface_forms, token_table
from storyteller.engine.settings.steering import TOPIC_BIAS_AT_FULL_STRENGTH, SteeringSettings
from storyteller.engine.steering.topics import topic_words


def steering_logit_bias(tokenizer, steering: SteeringSettings) -> dict[int, float | bool]:
    """{token id: added logit, or False for never}."""
    bias: dict[int, float | bool] = {}
    if steering.steers_topic:
        table = token_table(tokenizer, topic_words(steering.topics, steering.words))
        strength = steering.topic_strength * TOPIC_BIAS_AT_FULL_STRENGTH
        bias.update({token: strength * weight for token, weight in table.anywhere.items()})
    for token, added in phrase_logit_bias(tokenizer, steering.phrase_biases()).items():
        bias[token] = bias.get(token, 0.0) + added
    for sequence in _banned_sequences(tokenizer, steering.banned):
        bias[_most_specific(tokenizer, sequence)] = False
    return bias


def phrase_logit_bias(tokenizer, biases: dict[str, float]) -> dict[int, float]:
    """{token id: bias} for phrases as {phrase: bias}: the tokens that begin each at a word start (see
    above); a token beginning several phrases keeps the strongest bias, as locally."""
    vocab = vocabulary(tokenizer)
    found: dict[int, float] = {}
    for phrase, bias in biases.items():
        phrase = collapse(phrase).strip()
        least = min(2, len(phrase.replace(" ", "")))
        tokens = set(vocab.starting_with(" " + phrase, after_space=False))  # the whole phrase, and more
        for end in range(1, len(phrase)):
            if len(phrase[:end].strip()) >= least:  # a beginning of it, and nothing else
                tokens.update(token for token in vocab.starting_with(" " + phrase[:end], after_space=False)
                              if vocab.texts[token] == " " + phrase[:end])
        for token in tokens:
            if abs(bias) > abs(found.get(token, 0.0)):
                found[token] = bias
    return found


def _banned_sequences(tokenizer, words) -> list[list[int]]:
    """The token sequences of every form a ban covers (a noun with its particles, a verb's inflected
    forms), at a word start and glued to what precedes it."""
    sequences = []
    for phrase in ban_phrases(words):
        for form in surface_forms(phrase):
            for marker in ("▁", ""):
                ids = [token for token, _ in model_pieces(tokenizer, marker + form.replace(" ", "▁"))]
                if ids and ids not in sequences:
                    sequences.append(ids)
    return sequences


def _most_specific(tokenizer, sequence: list[int]) -> int:
    if len(sequence) == 1:
        return sequence[0]
    pieces = tokenizer.convert_ids_to_tokens(sequence)
    return max(zip(sequence, pieces), key=lambda pair: len(pair[1].lstrip("▁")))[0]
