"""Word steering through a server's logit_bias: a fixed bias per token, the same at every position.

Locally the word bias also favours the rest of a word once its first token is written, and a ban
holds in any tokenization because the decoded text is matched at every step (phrase_bans.py); both
need the text so far at each step, which a server's logit_bias cannot see. So here a topic's tokens
that stand on their own get their bias, and each form a ban covers is blocked, in its usual
tokenizations, by its most specific token (the longest piece): the word stays out at the price of
that piece."""

from __future__ import annotations

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
    for sequence in _banned_sequences(tokenizer, steering.banned):
        bias[_most_specific(tokenizer, sequence)] = False
    return bias


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
