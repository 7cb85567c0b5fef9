"""Stop strings, shared by every decode loop (the local model's and the servers'): text is emitted as it
becomes final, and a possible start of a stop string is held back until it is clear."""

from __future__ import annotations


class CandidateText:
    """One continuation's text: final parts are emitted, a possible start of a stop string is
    held back until it is clear.

    `decoder` turns what `push` gets into text: a StreamDecoder fed token ids (the local loop, and
    servers whose ids we decode), or a TextStream fed text (servers that send only text)."""

    def __init__(self, decoder, stop_strings: tuple[str, ...]):
        self.decoder = decoder
        self.stop_strings = stop_strings
        self.emitted = ""
        self.stop_reason: str | None = None

    def push(self, token) -> str:
        self.decoder.push(token)
        return self._advance(self.decoder.stable_text(), final=False)

    def finish(self, reason: str) -> str:
        delta = self._advance(self.decoder.text(), final=True) if self.stop_reason is None else ""
        self.stop_reason = self.stop_reason or reason
        return delta

    def _advance(self, text: str, final: bool) -> str:
        cut = min((text.find(s) for s in self.stop_strings if s in text), default=-1)
        if cut >= 0:
            text, self.stop_reason = text[:cut], "stop_string"
        elif not final:
            text = text[: len(text) - self._held_back(text)]
        if not text.startswith(self.emitted):
            return ""  # held-back text was revised; wait until it settles
        delta, self.emitted = text[len(self.emitted) :], text
        return delta

    def _held_back(self, text: str) -> int:
        """Length of the longest end of `text` that could begin a stop string."""
        longest = 0
        for stop in self.stop_strings:
            for size in range(min(len(stop) - 1, len(text)), longest, -1):
                if text.endswith(stop[:size]):
                    longest = size
                    break
        return longest


class TextStream:
    """The decoder for a server that sends text, not ids: the same `push`/`text`/`stable_text` as
    tokenizer.StreamDecoder. A trailing U+FFFD (a character whose bytes are not all there yet) is
    held back like StreamDecoder does."""

    def __init__(self):
        self._parts: list[str] = []

    def push(self, text: str) -> None:
        self._parts.append(text)

    def text(self) -> str:
        return "".join(self._parts)

    def stable_text(self) -> str:
        return self.text().rstrip("\ufffd")
