"""Memory: what a writer on the int8 export keeps (one copy of the model, no PyTorch for the mood
meter or trimming; benchmarks/bench_memory.py measures the app), the memory check before loading,
and a 2,048-token, 24-layer model (ksjae-style shape, tiny width) using its whole context everywhere
the context is budgeted."""

import pytest

from storyteller.engine.core.errors import ModelError
from storyteller.engine.decode.generator import Generator
from storyteller.engine.decode.requests import GenerationRequest
from storyteller.engine.models import ram_fit
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.story.context import ContextBuilder
from storyteller.engine.story.document import Author, Piece, Story
from tests.helpers.tiny_models import save_tiny_gpt2
from tests.test_layers import describe, first_imports

PARAGRAPH = "나무꾼은 매일 산에 올라 나무를 했다. 그러던 어느 날 사슴 한 마리가 나타났다.\n"


@pytest.fixture(scope="module")
def long_model_dir(tmp_path_factory):
    return save_tiny_gpt2(tmp_path_factory.mktemp("models") / "long", n_positions=2048, width=16, layers=24)


@pytest.fixture(scope="module")
def long_loaded(long_model_dir):
    from storyteller.engine.models.loading import load_model

    return load_model(long_model_dir, device="cpu")


def test_the_estimate_counts_the_weights_and_a_whole_context(long_model_dir, long_loaded):
    estimate = ram_fit.estimate(long_model_dir, bytes_per_weight=4)
    assert estimate.parameters == sum(p.numel() for p in long_loaded.model.parameters())
    assert estimate.weights == 4 * estimate.parameters
    assert estimate.cache == ram_fit.CACHES * 2 * 24 * 2048 * 16 * 4  # keys and values, every layer and position
    assert estimate.working == 2048 * 51200 * 4  # the logits of a whole-context prefill
    int8 = ram_fit.estimate(long_model_dir, bytes_per_weight=1)
    # the tied embedding's int8 matrix is held twice: as the embedding reads it, and packed for the logits
    assert int8.weights == estimate.parameters + 51200 * 16 and int8.cache == estimate.cache
    assert estimate.total == estimate.weights + estimate.cache + estimate.working + estimate.app


def test_the_estimate_counts_the_apps_parts_not_loaded_yet(long_model_dir, monkeypatch):
    """Kiwi and the runtime's library, until the process has them (then they are out of the
    available memory already)."""
    import sys

    from storyteller.engine.korean import analysis

    monkeypatch.setattr(analysis, "_kiwi", None)
    monkeypatch.delitem(sys.modules, "onnxruntime", raising=False)
    int8 = ram_fit.estimate(long_model_dir, bytes_per_weight=1)
    assert int8.app == ram_fit.KIWI_BYTES + ram_fit.LIBRARY_BYTES["onnxruntime"]
    monkeypatch.setattr(analysis, "_kiwi", object())
    monkeypatch.setitem(sys.modules, "torch", sys.modules.get("torch") or object())
    assert ram_fit.estimate(long_model_dir, bytes_per_weight=4).app == 0


def test_a_model_too_large_for_the_free_memory_is_refused_before_loading(long_model_dir, monkeypatch):
    import transformers

    from storyteller.engine.models import loading

    monkeypatch.setattr(ram_fit, "available_memory", lambda: 300 * 2**20)

    def never(*args, **kwargs):
        raise AssertionError("the weights were read before the memory check")

    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", never)
    with pytest.raises(ModelError) as raised:
        loading.load_model(long_model_dir, device="cpu")
    message = str(raised.value)
    assert "only 0.3 GB is free" in message
    assert "storyteller models optimize long" in message and "server" in message


def test_a_2048_position_model_uses_its_whole_context(long_loaded):
    assert long_loaded.n_positions == 2048 and long_loaded.n_layers == 24
    story_text = "".join(f"{i}번째 날. " + PARAGRAPH for i in range(60))
    generator = Generator(long_loaded)
    prompt_tokens = len(long_loaded.tokenizer.encode(story_text))
    assert 1100 < prompt_tokens < 2040  # more than a 1,024-token model could take, less than this one
    result = generator.generate(GenerationRequest(story_text, GenerationSettings(max_new_tokens=4, seed=1)))
    assert result.dropped_tokens == 0 and result.prompt_tokens == prompt_tokens
    built = ContextBuilder(long_loaded.tokenizer, long_loaded.n_positions).build(
        Story(pieces=[Piece.of(Author.WRITER, story_text)]), 4
    )
    assert built.budget == 2044 and built.dropped_story_tokens == 0
    longer = story_text * 2  # past 2,048 tokens: trimmed to this model's budget, not to 1,024
    trimmed = generator.generate(GenerationRequest(longer, GenerationSettings(max_new_tokens=4, seed=1)))
    assert trimmed.dropped_tokens > 0 and 1024 < trimmed.prompt_tokens <= 2044


def test_the_app_sizes_its_context_from_the_model(long_model_dir, qtbot):
    from storyteller.gui.background.worker import EngineWorker

    worker = EngineWorker()
    loaded = []
    worker.model_loaded.connect(lambda info, model, tokenizer: loaded.append(info))
    worker.load_model(str(long_model_dir), "cpu", "auto")
    assert loaded and loaded[0].n_positions == 2048


def test_the_meter_and_trimming_on_the_int8_export_import_no_torch(tmp_path):
    """What a writer on the demo's shipped export does besides writing (issue 28): the mood meter
    reads its head on the int8 export, and a continuation is trimmed to its last whole sentence
    (Kiwi); in a fresh interpreter, neither brings in torch or transformers' models."""
    found = first_imports("""
        from storyteller.engine.core.paths import resource
        from storyteller.engine.models.loading import load_model
        from storyteller.engine.steering.mood import load_head, story_mood
        from storyteller.engine.story.modes import trim_incomplete_sentence

        loaded = load_model(resource("models", "demo"), "cpu", runtime="auto")
        assert loaded.runtime.name == "onnx"
        assert 0 <= story_mood(loaded, load_head(loaded), "햇살이 따뜻했다. 아이들이 웃으며 뛰어놀았다.") <= 1
        assert trim_incomplete_sentence("철수가 밥을 먹었다. 영희는 학교에") == "철수가 밥을 먹었다."
        assert loaded._model is None
    """, ["torch", "transformers"], tmp_path)
    assert not found, describe(found)
