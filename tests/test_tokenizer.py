"""The real KoGPT2 tokenizer: published examples, exact round trips, special-token handling."""

import pytest

from storyteller.engine.core.errors import ModelError
from storyteller.engine.models.tokenizer import StreamDecoder, control_token_ids, decode, load_tokenizer, stop_token_ids


def test_published_encoding_example(kogpt2_tokenizer):
    ids = kogpt2_tokenizer.encode("수강신청에서 원하는 강의를 신청하기 위해서는")
    assert ids == [32619, 10309, 9023, 15605, 25175, 48565, 11357]


def test_published_tokenization_example(kogpt2_tokenizer):
    tokens = kogpt2_tokenizer.tokenize("안녕하세요. 한국어 GPT-2 입니다.😤:)l^o")
    assert tokens == ["▁안녕", "하", "세", "요.", "▁한국어", "▁G", "P", "T", "-2", "▁입", "니다.", "😤", ":)", "l^o"]


def test_special_token_ids(kogpt2_tokenizer):
    tok = kogpt2_tokenizer
    ids = (tok.bos_token_id, tok.eos_token_id, tok.unk_token_id, tok.pad_token_id, tok.mask_token_id)
    assert ids == (1, 1, 5, 3, 6)
    assert len(tok) == 51200


@pytest.mark.parametrize(
    "text",
    [
        "첫 줄\n둘째 줄\n\n셋째 문단",
        "웃겨요 ㅋㅋㅋ 슬퍼요 ㅠㅠ ㅎㅎ",
        "기분 좋다 😤🙂 :) 😎",
        "KoGPT2는 GPT-2 model을 한국어로 학습했다. 2021년 release!",
        "두 칸  띄어쓰기   그대로",
        "따옴표 “안녕”과 「인용」",
        "이모지 뒤 줄바꿈 😤\n다음 줄",  # the file's tokenizer would add a space after 😤
        "붙여쓰기😤그대로ㅠㅠ끝",
    ],
)
def test_round_trip_is_exact(kogpt2_tokenizer, text):
    assert decode(kogpt2_tokenizer, kogpt2_tokenizer.encode(text)) == text


def test_emoji_survive_decoding_although_flagged_special(kogpt2_tokenizer):
    ids = kogpt2_tokenizer.encode("좋아 😤")
    assert kogpt2_tokenizer.decode(ids, skip_special_tokens=True) != "좋아 😤"  # the trap
    assert decode(kogpt2_tokenizer, ids) == "좋아 😤"


def test_control_tokens_found_by_scanning_the_vocabulary(kogpt2_tokenizer):
    vocab = kogpt2_tokenizer.get_vocab()
    banned = set(control_token_ids(kogpt2_tokenizer))
    for token in ["<s>", "<usr>", "<pad>", "<sys>", "<unk>", "<mask>", "<d>", "<unused0>", "<unused99>"]:
        assert vocab[token] in banned, token
    for token in ["</s>", "</d>", ":)", "😤", "ㅠㅠ", "▁바다"]:
        assert vocab[token] not in banned, token
    assert stop_token_ids(kogpt2_tokenizer) == [vocab["</s>"], vocab["</d>"]]


def test_stream_decoder_keeps_spaces_that_per_token_decoding_loses(kogpt2_tokenizer):
    text = "그는 바다를 보며 말했다. “내일 다시 오자.” 😤\n그리고 떠났다 ㅋㅋ"
    prompt_ids = kogpt2_tokenizer.encode("옛날 옛적에")
    ids = kogpt2_tokenizer.encode(" " + text)
    per_token = "".join(decode(kogpt2_tokenizer, [i]) for i in ids)
    assert per_token != " " + text
    decoder = StreamDecoder(kogpt2_tokenizer, prompt_ids)
    seen = []
    for token in ids:
        decoder.push(token)
        seen.append(decoder.stable_text())
    assert seen[-1] == " " + text
    assert all(later.startswith(earlier) for earlier, later in zip(seen, seen[1:]))


def test_stream_decoder_holds_back_incomplete_bytes():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import GPT2TokenizerFast

    # A byte-level BPE (other GPT-2 families) splits 한 into three byte tokens.
    backend = Tokenizer(models.BPE(vocab={c: i for i, c in enumerate(pre_tokenizers.ByteLevel.alphabet())}, merges=[]))
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    tokenizer = GPT2TokenizerFast(tokenizer_object=backend)
    ids = tokenizer.encode("한")
    assert len(ids) == 3
    decoder = StreamDecoder(tokenizer, [])
    texts = []
    for token in ids:
        decoder.push(token)
        texts.append(decoder.stable_text())
    assert texts == ["", "", "한"]


def test_missing_tokenizer_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no tokenizer"):
        load_tokenizer(tmp_path)


def test_corrupt_tokenizer_names_the_folder(tmp_path):
    (tmp_path / "tokenizer.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be read"):
        load_tokenizer(tmp_path)
