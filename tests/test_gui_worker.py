"""The engine client's one door for the worker's answers (EngineClient._on_event): each event of the
running generation is told by the signal of its type, stale answers are dropped, the end of a
generation ends the busy state; an event type no widget listens for passes without harm."""

from __future__ import annotations

import pytest

from storyteller.engine.decode.requests import (
    Finished,
    GenerationRequest,
    GenerationResult,
    StepProgress,
    TextDelta,
    TokenChoice,
    TopTokens,
    WarmUp,
)
from storyteller.gui.background.worker import EngineClient, Failed, MoodReading, NextTokens


@pytest.fixture
def client(qapp):
    client = EngineClient()
    yield client
    client.shutdown()


def recorder(client: EngineClient) -> list[tuple]:
    told = []
    for name in ("delta", "alternatives", "progress", "finished", "failed", "suggestions", "mood", "warmed",
                 "busy_changed"):
        getattr(client, name).connect(lambda *args, name=name: told.append((name, *args)))
    return told


def test_a_generation_without_a_model_fails_through_the_worker(qtbot, client):
    with qtbot.waitSignal(client.failed, timeout=10_000) as failed:
        request_id = client.generate(GenerationRequest("옛날 옛적에"))
    assert failed.args == [request_id, "No model is loaded yet."] and not client.busy


def test_events_of_the_running_generation_are_told_by_type_and_stale_ones_dropped(client):
    told = recorder(client)
    client._active = 7  # as generate() leaves it, without asking the worker
    delta, step = TextDelta(0, "바다"), StepProgress(1, 10, 0.5)
    for request_id, event in [(6, TextDelta(0, "늦은")), (7, delta), (7, step), (7, TopTokens(0, []))]:
        client._worker.event.emit(request_id, event)
    assert told == [("delta", 7, delta), ("progress", 7, step)]  # TopTokens: no widget listens for it

    result = GenerationResult(texts=["바다"], token_ids=[[5]], stop_reasons=["length"], seed=1, prompt_tokens=2,
                              reused_tokens=0, dropped_tokens=0, dropped_text="", time_to_first_token=0.1, seconds=0.2)
    client._worker.event.emit(6, Finished(result))  # a finish of another request: dropped
    assert client.busy
    client._worker.event.emit(7, Finished(result))
    assert told[2:] == [("busy_changed", False), ("finished", 7, result)] and not client.busy
    client._worker.event.emit(7, TextDelta(0, "뒤늦은"))
    client._worker.event.emit(7, Failed("끊겼다"))  # told even after its end: the writer should know
    assert told[4:] == [("failed", 7, "끊겼다")]


def test_only_the_latest_question_is_answered(client):
    told = recorder(client)
    client.tokenizer = object()  # as once a model has loaded
    client.suggest("옛날")
    client.measure_mood("옛날")
    latest_suggestion, latest_mood = client._suggest_id, client._mood_id
    choices = [TokenChoice(1, "에", 0.5)]
    client._worker.event.emit(latest_suggestion - 1, NextTokens([]))
    client._worker.event.emit(latest_suggestion, NextTokens(choices))
    client._worker.event.emit(latest_mood - 1, MoodReading(0.1, ""))
    client._worker.event.emit(latest_mood, MoodReading(0.8, ""))
    warm_up = WarmUp(prompt_tokens=3, cached_tokens=3, computed_tokens=3, chunks=1)
    client._worker.event.emit(0, warm_up)
    assert told == [("suggestions", choices), ("mood", 0.8, ""), ("warmed", warm_up)]
