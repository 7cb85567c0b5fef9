"""What PPLM did to a continuation, said to the writer, and how long it takes: plain Python (no torch), so
the CLI and the GUI thread read a result's steering report (`GenerationResult.steering`, made by
latent.Perturber.report) with it.

- `degeneration`: whether a steered text fell apart: little but punctuation, one fragment over and
  over, or single syllables that make no sentences (what PPLM writes when it pushes a small model too
  hard: the demo model gave only syllable salad or a lone quote mark at every strength tried);
- `steering_notes`: the messages a report calls for (the text fell apart, and what to try; the time
  limit made PPLM hand over to the fast method, and at which token);
- `PplmSpeed`: seconds per token while PPLM optimises and while it only mixes, measured by a run: the
  Perturber's time-limit projection and the steering panel's estimate both come from it.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from storyteller.engine.core.errors import StorytellerError, tr
from storyteller.engine.models import remedies
from storyteller.engine.models.catalogue import KOGPT2_REPO

# What a text that fell apart looks like (the numbers are from the demo model's own text, 200 tokens,
# 12 seeds, and from its PPLM text at strengths 0.3 to 1):
PUNCTUATION, REPETITION, FRAGMENTS = "punctuation", "repetition", "fragments"
# Letters and digits under this share of the characters that are not spaces: punctuation.
LETTER_SHARE = 0.3
# zlib's output under this share of the text's UTF-8 (from 60 bytes on): one fragment repeated. Plain
# text compresses to 0.54-0.62 of its size, a sentence said twenty times to 0.08.
REPEATED_SIZE = 0.25
# Words of one syllable at or over this share of at least MIN_WORDS words: syllable salad. Plain text has
# 13-28 % of them, PPLM's salad 64-83 %.
ONE_SYLLABLE_SHARE = 0.45
MIN_WORDS = 20
_WORD = re.compile(r"[^\W_]+")

# A model narrower than this is too small for PPLM's step size (tuned on KoGPT2, 768 wide): the demo
# model (128) fell apart at every strength.
PPLM_MIN_WIDTH = 512

_TOPIC_FAST = remedies.Remedy("--steer-method bias", tr("“Steering → Topic → Method → Word bias (fast)”"))
_MOOD_FAST = remedies.Remedy("--steer-mood-method vector", tr("“Steering → Mood → Method → Mood vector (fast)”"))


class SteeringNote(StorytellerError):
    """Something the writer should know about what steering did (not an error: the text was written)."""


def degeneration(text: str) -> str | None:
    """PUNCTUATION, REPETITION or FRAGMENTS when `text` fell apart that way, else None."""
    visible = "".join(text.split())
    if not visible:
        return None
    if sum(char.isalnum() for char in visible) < LETTER_SHARE * len(visible):
        return PUNCTUATION
    data = text.encode("utf-8")
    if len(data) >= 60 and len(zlib.compress(data, 9)) < REPEATED_SIZE * len(data):
        return REPETITION
    words = _WORD.findall(text)
    if len(words) >= MIN_WORDS and sum(len(word) == 1 for word in words) >= ONE_SYLLABLE_SHARE * len(words):
        return FRAGMENTS
    return None


_FELL_APART = {
    PUNCTUATION: tr("PPLM steering broke the text: it is little but punctuation. {advice}"),
    REPETITION: tr("PPLM steering broke the text: it repeats one fragment over and over. {advice}"),
    FRAGMENTS: tr("PPLM steering broke the text into single syllables that make no sentences. {advice}"),
}


def steering_notes(report: dict | None) -> list[SteeringNote]:
    """What the writer should hear about a steered continuation, from its steering report."""
    if not report or report.get("method") != "pplm":
        return []
    notes = []
    fell_back = report.get("budget_fallback_at_token")
    if fell_back:
        template = (tr("PPLM reached its time limit of {seconds} s at token {token} and wrote the rest with the "
                       "word bias.") if report.get("fallback") == "word bias" else
                    tr("PPLM reached its time limit of {seconds} s at token {token} and wrote the rest without "
                       "steering."))
        notes.append(SteeringNote(template, seconds=f"{report.get('time_limit_s', 0):g}", token=fell_back))
    kind = next((kind for kind in report.get("degenerate") or [] if kind), None)
    if kind in _FELL_APART:
        notes.append(SteeringNote(_FELL_APART[kind], advice=_advice(report)))
    return notes


def _advice(report: dict) -> SteeringNote:
    fast = _TOPIC_FAST if "topic" in report.get("steers", ["topic"]) else _MOOD_FAST
    if report.get("model_width", PPLM_MIN_WIDTH) < PPLM_MIN_WIDTH:
        return SteeringNote(tr("This model is too small for PPLM: switch to the fast method with {fast}, or write "
                               "with a full-size model such as KoGPT2 ({download})."),
                            fast=fast, download=remedies.download(KOGPT2_REPO))
    return SteeringNote(tr("Try a lower strength, or the fast method with {fast}."), fast=fast)


@dataclass(frozen=True)
class PplmSpeed:
    """Seconds per token while PPLM optimises (its first `grad_length` tokens) and while it only mixes
    its distributions (the rest), as one machine writes them with one model."""

    optimised: float
    mixed: float

    @classmethod
    def measured(cls, optimised: list[float], mixed: list[float], iterations: int) -> PplmSpeed | None:
        """From the seconds each token took. The first optimised token carries one-off costs (the first
        backward pass), so it is left out once there are others; until a mixing token is measured, one
        takes an optimised token's time over 1 + `iterations` (measured: 0.24-0.30 with 3)."""
        if not optimised:
            return None
        steady = optimised[1:] or optimised
        per_optimised = sum(steady) / len(steady)
        per_mixed = sum(mixed) / len(mixed) if mixed else per_optimised / (1 + iterations)
        return cls(per_optimised, per_mixed)

    @classmethod
    def of_report(cls, report: dict | None) -> PplmSpeed | None:
        """The speed a PPLM run measured (its steering report), or None."""
        report = report or {}
        optimised, mixed = report.get("seconds_per_optimised_token"), report.get("seconds_per_mixed_token")
        if not optimised:
            return None
        return cls(optimised, mixed or optimised / (1 + report.get("iterations", 3)))

    def seconds(self, start: int, total: int, grad_length: int) -> float:
        """Seconds to write tokens `start` to `total` (0-based, end excluded): the first `grad_length`
        of a continuation optimise, the others mix."""
        optimising_end = min(grad_length, total)
        optimising = max(0, optimising_end - start)
        mixing = max(0, total - max(start, optimising_end))
        return optimising * self.optimised + mixing * self.mixed


def pplm_seconds(speed: PplmSpeed, length: int, grad_length: int, first_token_seconds: float) -> float:
    """How long a PPLM continuation of `length` tokens should take at `speed`: the first token as a run
    took it (the prompt's prefill and PPLM's first step), then each token at its measured cost."""
    return first_token_seconds + speed.seconds(1, length, grad_length)
