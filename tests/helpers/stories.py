"""Stories the tests build on: one with every field set, and a scenario template with placeholders."""

from __future__ import annotations

from storyteller.engine.settings.generation import GenerationSettings
from storyteller.engine.settings.steering import SteeringSettings
from storyteller.engine.story.document import Author, Mode, Piece, Story, WorldInfoEntry


def rich_story() -> Story:
    story = Story(
        title="시험 이야기 😤", memory="기억 ㅋㅋ", authors_note="어둡게", authors_note_depth=2,
        world_info=[WorldInfoEntry(keys=["철수", "영희"], secondary_keys=["학교"], content="둘은 친구다.",
                                   always_on=False, enabled=True, comment="친구들")],
        mode=Mode.ADVENTURE, chat_user_name="나", chat_ai_name="너",
        generation=GenerationSettings(temperature=0.8, top_k=40, stop_strings=("\n\n",), seed=5),
        steering=SteeringSettings(topics=("sea",), words=("바다",), topic_strength=0.5),
    )
    story.pieces = [Piece.of(Author.WRITER, "시작.\n"), Piece(Author.MODEL, ["하나", "둘"], chosen=1, pinned=True),
                    Piece.of(Author.PLAYER, "\n> 나는 문을 연다.\n")]
    story.tidy.remove_blank_lines = True
    return story


def template_story() -> Story:
    return Story(
        title="${주인공}의 모험", mode=Mode.ADVENTURE, memory="${주인공[민수]:주인공의 이름}은 ${고향[부산]}에서 왔다.",
        authors_note="${주인공}이 겁먹지 않게", chat_user_name="${주인공}",
        world_info=[WorldInfoEntry(keys=["${주인공}", "고향"], content="${주인공}: 스무 살", comment="${주인공}")],
        generation=GenerationSettings(temperature=0.6, top_k=33), steering=SteeringSettings(banned=("악당",)),
        pieces=[Piece.of(Author.WRITER, "${주인공}을 부르는 소리가 들렸다.\n"),
                Piece.of(Author.MODEL, "${고향}의 바다.")],
    )
