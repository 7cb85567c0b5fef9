"""Server generators against a real llama.cpp server (xllamacpp) serving the demo model as GGUF."""

from __future__ import annotations

import functools
import http.server
import socket
import ssl
import threading
import time
from contextlib import contextmanager

import httpx2
import pytest

from storyteller.engine.decode.generator import Generator
from storyteller.engine.decode.requests import Finished, GenerationRequest, TextDelta, TopTokens
from storyteller.engine.decode.runner import RequestRunner
from storyteller.engine.servers import (
    AuthError,
    ContextTooSmall,
    NeedsLocalModel,
    PlainHttpKeyError,
    ServerDied,
    ServerEntry,
    ServerError,
    ServerRefused,
    ServerTimeout,
    WrongApiError,
    check_context,
    connect,
    probe,
    save_server,
)
from storyteller.engine.servers import http as server_http
from storyteller.engine.servers.apis import api_for
from storyteller.engine.servers.probing import ServerInfo, ignored_settings
from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.schema import LLAMA_CPP, OPENAI_COMPATIBLE, VLLM, Handled, SentAs
from storyteller.engine.settings.steering import SteeringSettings
from storyteller.engine.steering import steering_hooks
from tests.helpers.llama_server import LlamaServer, free_port
from tests.helpers.waiting import wait_for

STORY = "옛날 옛적에 산골 마을에 한 소년이 살았다. 😤 소년은 매일 아침 숲으로 갔다.\n\"어디 가니?\" 어머니가 물었다."
GREEDY = GenerationSettings(max_new_tokens=24, greedy=True)


@pytest.fixture(scope="module")
def local():
    from storyteller.engine.core.paths import resource
    from storyteller.engine.models.loading import load_model

    return Generator(load_model(resource("models", "demo"), "cpu"), steer=steering_hooks)


@pytest.fixture(scope="module")
def remote(llama_server):
    remote = connect(ServerEntry("test", llama_server.url))
    yield remote
    remote.close()


def _slot_busy(url: str) -> bool:
    return any(slot["is_processing"] for slot in httpx2.get(f"{url}/slots", timeout=5).json())


def test_the_server_writes_what_the_local_model_writes_ids_in_and_out(remote, local):
    """Korean with spacing, a line break, quotes and an emoji: sent as our ids, read back as ids and
    decoded by us, token for token the local loop's greedy continuation."""
    assert isinstance(remote, RequestRunner) and isinstance(local, RequestRunner)
    assert remote.uses_ids and remote.info.api == "llama.cpp" and remote.description.startswith("llama.cpp at")
    events = list(remote.stream(GenerationRequest(STORY, GREEDY)))
    deltas = [event.text for event in events if isinstance(event, TextDelta)]
    result = events[-1].result
    expected = local.generate(GenerationRequest(STORY, GREEDY))
    assert result.token_ids == expected.token_ids
    assert result.texts == expected.texts and "".join(deltas) == result.texts[0]
    assert len(deltas) > 3  # it streamed
    assert result.prompt_tokens == expected.prompt_tokens and result.stop_reasons == ["length"]
    assert result.runtime == "server: llama.cpp" and expected.runtime == local.loaded.default_runtime.name

    emoji = remote.generate(GenerationRequest("소년은 화가 났다 😤", GREEDY))
    assert emoji.texts == local.generate(GenerationRequest("소년은 화가 났다 😤", GREEDY)).texts
    again = remote.generate(GenerationRequest(STORY, GREEDY))
    assert again.reused_tokens == result.prompt_tokens - 1  # the server's prompt cache (cache_prompt)


def test_the_openai_route_of_the_same_server_gives_the_same_text(llama_server, local):
    remote = connect(ServerEntry("openai", llama_server.url + "/v1", api="openai"))
    try:
        assert remote.info.api == "openai" and remote.uses_ids
        result = remote.generate(GenerationRequest(STORY, GREEDY))
        assert result.runtime == "server: llama.cpp (OpenAI API)"
        assert result.token_ids == local.generate(GenerationRequest(STORY, GREEDY)).token_ids
        words = remote.next_tokens(STORY, 3)
        assert [w.token_id for w in words] == [w.token_id for w in local.next_tokens(STORY, 3)]
    finally:
        remote.close()


def test_candidates_stop_strings_and_top_tokens(remote):
    settings = GenerationSettings(max_new_tokens=30, seed=5, num_candidates=2, stop_strings=("다",))
    events = list(remote.stream(GenerationRequest(STORY, settings, report_top_k=3)))
    result = events[-1].result
    assert len(result.texts) == 2 and result.texts[0] != result.texts[1]
    for text, reason in zip(result.texts, result.stop_reasons):
        assert "다" not in text and reason in ("stop_string", "end", "length")
    tops = [event for event in events if isinstance(event, TopTokens)]
    assert tops and all(len(event.candidates[0]) == 3 for event in tops)
    assert {event.candidate for event in events if isinstance(event, TextDelta)} <= {0, 1}


def test_next_words_come_from_n_probs(remote, local):
    there, here = remote.next_tokens(STORY, 5), local.next_tokens(STORY, 5)
    assert [choice.token_id for choice in there[:3]] == [choice.token_id for choice in here[:3]]
    assert there[0].text == here[0].text
    assert there[0].probability == pytest.approx(here[0].probability, rel=0.05)


def test_word_bias_and_bans_go_through_logit_bias(remote, local):
    plain = remote.generate(GenerationRequest(STORY, GREEDY)).texts[0]
    word = next(w for w in plain.split() if len(w) >= 2).strip("\"'.,?!")
    banned = remote.generate(GenerationRequest(STORY, GREEDY, steering=SteeringSettings(banned=(word,))))
    assert word in plain and word not in banned.texts[0]
    # Mid-sentence (after the closing quote the demo is too sure of its next line for any bias to move it).
    mid_sentence = STORY + " 소년은"
    plain = remote.generate(GenerationRequest(mid_sentence, GREEDY)).texts[0]
    sea = GenerationRequest(mid_sentence, GREEDY, steering=SteeringSettings(topics=("sea",), topic_strength=1.0))
    topic = remote.generate(sea).texts[0]
    assert topic != plain and "배" in topic  # the bias changed the greedy choice: the ship (배) appears
    assert topic == local.generate(sea).texts[0]


def test_pplm_and_the_mood_vector_need_the_local_model(remote):
    for steering in (SteeringSettings(mood=0.5), SteeringSettings(words=("바다",), topic_strength=0.5,
                                                                  topic_method="pplm")):
        with pytest.raises(NeedsLocalModel, match="local model"):
            remote.generate(GenerationRequest(STORY, GREEDY, steering=steering))


def test_context_size_comes_from_props(remote):
    assert remote.info.n_ctx == 512 == remote.n_positions
    check_context(remote.info, 500)
    with pytest.raises(ContextTooSmall, match="holds 512 tokens, but the story needs 600"):
        check_context(remote.info, 600)


def test_stop_mid_stream_frees_the_slot_within_a_second(remote, llama_server):
    cancel = threading.Event()
    settings = GenerationSettings(max_new_tokens=480, seed=1, temperature=1.5)
    events = remote.stream(GenerationRequest("그날 밤", settings), cancel)
    text = ""
    for event in events:
        if isinstance(event, TextDelta):
            text += event.text
            if len(text) > 10:
                break
    assert _slot_busy(llama_server.url)  # still writing: the stop below is what ends it
    cancel.set()
    stopped_at = time.monotonic()
    result = next(event for event in events if isinstance(event, Finished)).result
    freed = wait_for(lambda: not _slot_busy(llama_server.url), timeout=stopped_at + 1.0 - time.monotonic())
    assert freed, "the server kept writing after Stop"
    assert result.cancelled and result.texts[0].startswith(text) and result.new_tokens < 480


def test_a_server_dying_mid_stream_keeps_the_partial_text(demo_gguf):
    with LlamaServer(demo_gguf) as server:
        remote = connect(ServerEntry("dying", server.url))
        text = ""
        with pytest.raises(ServerDied, match="broke while it was writing") as died:
            for event in remote.stream(GenerationRequest("그날 밤", GenerationSettings(max_new_tokens=480, seed=2))):
                if isinstance(event, TextDelta):
                    text += event.text
                    if server.process.poll() is None and len(text) > 5:
                        server.kill()
        remote.close()
    assert died.value.partial == [text] and text
    assert died.value.result.texts == [text] and died.value.result.cancelled


def test_text_mode_for_a_model_with_another_tokenizer(llama_server, monkeypatch):
    """A server whose tokenizer is not ours: text in, text out, the budget counted by its /tokenize."""
    from storyteller.engine.servers import probing as probe_module

    monkeypatch.setattr(probe_module, "_same_tokenizer", lambda *args: False)
    remote = connect(ServerEntry("other", llama_server.url))
    try:
        assert not remote.uses_ids
        assert remote.tokenizer.encode("옛날 옛적에") == [12346, 10256, 16871]
        result = remote.generate(GenerationRequest(STORY * 20, GenerationSettings(max_new_tokens=8, seed=1)))
        assert result.dropped_tokens > 0 and result.texts[0]
        # Stop strings go along with a text prompt (llama.cpp stops itself) and are applied here too.
        stopped = remote.generate(GenerationRequest(STORY, GenerationSettings(max_new_tokens=40, seed=4,
                                                                              stop_strings=("다",))))
        assert "다" not in stopped.texts[0] and stopped.stop_reasons[0] in ("stop_string", "end")
        with pytest.raises(NeedsLocalModel, match="another tokenizer"):
            remote.generate(GenerationRequest(STORY, GREEDY, steering=SteeringSettings(banned=("소년",))))
        with pytest.raises(NeedsLocalModel, match="Clear the steering words, bans and phrase bias"):
            remote.generate(GenerationRequest(STORY, GREEDY, steering=SteeringSettings(phrase_bias=("소년=+2",))))
    finally:
        remote.close()


# --- what each kind of server receives ------------------------------------------------------------


def _changed_settings() -> GenerationSettings:
    """Every generation setting away from its default (sampling kept on, so no rule hides another)."""
    values = {}
    for item in GenerationSettings.describe():
        if item.kind is bool:
            values[item.name] = not item.default
        elif item.kind is tuple:
            values[item.name] = ("다",)
        else:
            values[item.name] = item.kind(item.high if item.default != item.high else item.low)
    return GenerationSettings(**{**values, "greedy": False})


@pytest.mark.parametrize("route, flavour", [("llama.cpp", LLAMA_CPP), ("openai", LLAMA_CPP), ("openai", VLLM),
                                            ("openai", OPENAI_COMPATIBLE)])
def test_every_generation_setting_is_sent_applied_or_said_to_be_ignored(route, flavour):
    """Each setting's declaration says how each kind of server takes it (settings/generation.py,
    `servers=`): the request body carries it, Storyteller applies it around the server, or the server's
    ignored list names it, and the UI greys its slider. A setting that said nothing would reach no
    server while its slider seemed to work."""
    api = api_for(ServerInfo(api=route, models=["m"], n_ctx=512, flavour=flavour))
    body = api.body("옛날 옛적에", _changed_settings(), 11, {}, 0)
    for our_ids in (False, True):
        ignored = ignored_settings(flavour, our_ids)
        for item in GenerationSettings.describe():
            way = item.servers.get(flavour)
            assert way is not None, f"{item.name} does not say how a {flavour} server takes it"
            if isinstance(way, SentAs):
                assert way.key in body and item.name not in ignored, item.name
            elif isinstance(way, Handled):
                assert way.how and (item.name in ignored) == (way.with_our_ids and not our_ids), item.name
            else:
                assert item.name in ignored, item.name


def test_llama_cpp_receives_each_setting_under_the_key_declared_for_it(llama_server):
    """What the server says it used (its generation_settings) is what we meant, for every key our
    declarations send it: a misspelt key would leave the server's default there instead."""
    defaults = httpx2.get(f"{llama_server.url}/props", timeout=5).json()["default_generation_settings"]["params"]
    settings = GenerationSettings(max_new_tokens=5, temperature=0.7, top_k=7, top_p=0.9, typical_p=0.8,
                                  repetition_penalty=1.3, repetition_penalty_range=32, stop_strings=("다",))
    meant = {"n_predict": 5, "temperature": 0.7, "top_k": 7, "top_p": 0.9, "typical_p": 0.8, "repeat_penalty": 1.3,
             "repeat_last_n": 32, "seed": 11, "stop": ["다"], "min_p": 0.0}
    sent = {way.key for item in GenerationSettings.describe()
            if isinstance(way := item.servers[LLAMA_CPP], SentAs)} | {"min_p"}
    assert sent == set(meant)  # a new key: add what it should show here
    info = ServerInfo(api="llama.cpp", models=[], n_ctx=512, flavour=LLAMA_CPP)
    body = api_for(info).body("옛날 옛적에", settings, 11, {}, 0, stream=False)
    used = httpx2.post(f"{llama_server.url}/completion", json=body, timeout=30).json()["generation_settings"]
    for key, value in meant.items():
        assert used[key] == pytest.approx(value) and defaults.get(key) != pytest.approx(value), key
    # A greedy request: the likeliest token each time, whatever the sampling settings say.
    greedy = api_for(info).body("옛날", settings.replace(greedy=True), 11, {}, 0, stream=False)
    used = httpx2.post(f"{llama_server.url}/completion", json=greedy, timeout=30).json()["generation_settings"]
    assert used["temperature"] == 0 and used["top_k"] == 1


# --- what goes wrong ------------------------------------------------------------------------------


def test_a_wrong_port_is_refused_plainly():
    with pytest.raises(ServerRefused, match="Nothing answers at http://127.0.0.1"):
        probe(ServerEntry("nobody", f"http://127.0.0.1:{free_port()}"))


@contextmanager
def _web_server(folder, tls: ssl.SSLContext | None = None):
    """A plain web server for `folder` on a free port (wrapped in `tls` when given), for the test's length."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        web.socket = tls.wrap_socket(web.socket, server_side=True)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        yield web.server_port
    finally:
        web.shutdown()


def test_a_plain_web_server_is_not_taken_for_a_model_server(tmp_path):
    with _web_server(tmp_path) as port, pytest.raises(WrongApiError, match="not a llama.cpp or OpenAI-compatible"):
        probe(ServerEntry("web", f"http://127.0.0.1:{port}"))


def test_a_server_that_never_answers_times_out(monkeypatch):
    """The probe waits seconds for an answer (http.ANSWER_SECONDS), or the entry's timeout if shorter."""
    monkeypatch.setattr(server_http, "ANSWER_SECONDS", 0.3)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(ServerTimeout, match="did not answer in time"):
            probe(ServerEntry("silent", url))
        with pytest.raises(ServerTimeout, match="did not answer in time"):
            probe(ServerEntry("silent", url, timeout=1))
        assert time.monotonic() - started < 3


def test_a_connection_closed_before_any_answer_is_a_plain_error():
    """A request on a connection the server drops unanswered (httpx's RemoteProtocolError: once seen when a
    kept-alive connection was reused) is reported as a broken connection, not an internal exception."""
    with socket.socket() as rude:
        rude.bind(("127.0.0.1", 0))
        rude.listen()

        def hang_up():
            connection, _ = rude.accept()
            connection.recv(1024)
            connection.close()

        threading.Thread(target=hang_up, daemon=True).start()
        with pytest.raises(ServerError, match=r"The connection to rude .* broke \(RemoteProtocolError\)"):
            probe(ServerEntry("rude", f"http://127.0.0.1:{rude.getsockname()[1]}"))


def test_a_server_with_an_api_key(demo_gguf, isolated, memory_keyring):
    with LlamaServer(demo_gguf, api_key="s3cret") as server:
        entry = ServerEntry("locked", server.url)
        with pytest.raises(AuthError, match="HTTP 401"):
            probe(entry)
        with pytest.raises(AuthError):
            probe(entry, api_key="wrong")
        save_server(entry, api_key="s3cret")
        remote = connect(entry)  # the key from the keychain
        try:
            assert remote.generate(GenerationRequest("그날 밤", GenerationSettings(max_new_tokens=3))).texts[0]
        finally:
            remote.close()


def test_a_key_is_not_sent_unencrypted_to_another_machine_without_consent():
    entry = ServerEntry("far", "http://gpu.example:8080")
    with pytest.raises(PlainHttpKeyError, match="unencrypted"):
        probe(entry, api_key="s3cret")


def _self_signed_certificate(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 that no one trusts, as a home server's own would be."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def test_an_unverifiable_https_certificate_is_a_tls_error(tmp_path):
    pytest.importorskip("cryptography")
    from storyteller.engine.servers import TlsError

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed_certificate(tmp_path))
    with _web_server(tmp_path, context) as port, pytest.raises(TlsError, match="certificate of https://127.0.0.1:"):
        probe(ServerEntry("home", f"https://127.0.0.1:{port}"))


def test_the_plain_openai_route_sends_text_and_stops_at_stop_strings(llama_server):
    """What a server with nothing but /v1/completions gets (no /tokenize, no extras): text in and out,
    stop strings sent along and applied here too, the budget estimated with KoGPT2's count."""
    from storyteller.engine.servers.generator import ServerGenerator
    from storyteller.engine.servers.http import make_client

    entry = ServerEntry("plain", llama_server.url, api="openai")
    info = ServerInfo(api="openai", models=["demo"], n_ctx=None, flavour="OpenAI-compatible")
    remote = ServerGenerator(entry, make_client(entry, None), info)
    try:
        assert not remote.uses_ids and remote.n_positions == 2048
        assert remote.description == f"OpenAI-compatible at {llama_server.url}"
        settings = GenerationSettings(max_new_tokens=40, seed=4, stop_strings=("다",))
        events = list(remote.stream(GenerationRequest(STORY, settings, report_top_k=2)))
        result = events[-1].result
        assert "".join(e.text for e in events if isinstance(e, TextDelta)) == result.texts[0]
        assert result.runtime == "server: OpenAI-compatible"
        assert "다" not in result.texts[0] and result.stop_reasons[0] in ("stop_string", "end", "length")
        words = remote.next_tokens(STORY, 2)
        assert len(words) == 2 and all(0 < w.probability <= 1 for w in words)
    finally:
        remote.close()


def test_a_minimum_length_on_llama_cpp_bans_the_end_until_it_is_reached(remote, local):
    """llama.cpp has no minimum length: the end token is banned for the minimum, then the rest is written
    in a second request continuing from the ids so far. Token for token what the local loop writes."""
    assert "min_new_tokens" not in remote.info.ignored_settings
    settings = GenerationSettings(max_new_tokens=20, min_new_tokens=8, greedy=True)
    result = remote.generate(GenerationRequest(STORY, settings))
    assert result.token_ids == local.generate(GenerationRequest(STORY, settings)).token_ids
    assert len(result.token_ids[0]) >= 8


def test_without_a_minimum_a_server_continuation_writes_at_least_half_its_length(remote):
    """The engine's floor holds on a server too (issue 27): the new user's prompt, which the demo model
    ends at once for most seeds, gets at least half of its 60 tokens for each of them."""
    for seed in range(1, 9):
        result = remote.generate(GenerationRequest("그날 밤, 나는 오래된 편지를 열었다.",
                                                   GenerationSettings(max_new_tokens=60, seed=seed)))
        assert len(result.token_ids[0]) >= 30 and result.texts[0].strip(), (seed, result.stop_reasons)


def test_a_phrase_bias_goes_through_logit_bias(remote, local):
    """Issue 27: a phrase bias reached no server (exit code 0). The tokens that begin the phrase at a word
    start get its bias: +10 on 바다 writes it where the greedy text had none."""
    from storyteller.engine.servers.steering_bias import phrase_logit_bias

    mid_sentence = STORY + " 소년은"
    plain = remote.generate(GenerationRequest(mid_sentence, GREEDY)).texts[0]
    biased = remote.generate(GenerationRequest(mid_sentence, GREEDY,
                                               steering=SteeringSettings(phrase_bias=("바다=+10",)))).texts[0]
    assert "바다" not in plain and "바다" in biased
    bias = phrase_logit_bias(remote.tokenizer, {"바다": 3.0, "푸른 바다": -2.0})
    pieces = dict(zip(remote.tokenizer.convert_ids_to_tokens(list(bias)), bias.values()))
    assert pieces["▁바다"] == pieces["▁바다를"] == 3.0 and pieces["▁푸른"] == -2.0
    assert "바다" not in pieces and "▁바" not in pieces  # glued, or a lone syllable: not the phrase's start
