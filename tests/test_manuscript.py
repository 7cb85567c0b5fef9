"""Manuscripts: .docx and .epub opened back with python-docx and ebooklib; title, chapters, every paragraph,
the Korean font declarations; the File > Export path and the CLI."""

from __future__ import annotations

import pytest

from storyteller.engine.story.document import Author, Mode, Piece, Story
from storyteller.engine.story.file import save_story
from storyteller.engine.story.manuscripts import DOCX_KOREAN_FONT, ManuscriptError, export_manuscript, manuscript_of
from tests.helpers.cli import storyteller

PARAGRAPHS = ["안개가 고개를 덮은 새벽이었다.", "돌쇠는 지게를 지고 산길을 올랐다.", "사슴 한 마리가 길을 막아섰다.",
              "나는 사슴을 따라간다.", "사슴은 안개 속으로 사라졌다."]


def chaptered_story() -> Story:
    return Story(title="안개 낀 고개", mode=Mode.ADVENTURE, pieces=[
        Piece.of(Author.WRITER, f"{PARAGRAPHS[0]}\n\n# 제1장 산길\n{PARAGRAPHS[1]}\n"),
        Piece.of(Author.MODEL, f"## 제2장 사슴 ##\n{PARAGRAPHS[2]}\n"),
        Piece.of(Author.PLAYER, f"> {PARAGRAPHS[3]}\n"),
        Piece.of(Author.MODEL, PARAGRAPHS[4]),
    ])


def test_chapters_start_at_heading_lines():
    manuscript = manuscript_of(chaptered_story())
    assert [c.title for c in manuscript.chapters] == ["", "제1장 산길", "제2장 사슴"]
    assert [p.text for c in manuscript.chapters for p in c.paragraphs] == PARAGRAPHS
    assert [p.action for p in manuscript.chapters[2].paragraphs] == [False, True, False]
    assert manuscript_of(Story(pieces=[Piece.of(Author.WRITER, "# 하나\n본문")]), "파일 이름").title == "파일 이름"
    with pytest.raises(ManuscriptError, match="empty"):
        manuscript_of(Story(pieces=[Piece.of(Author.WRITER, "\n \n")]))


def test_docx_holds_title_chapters_text_and_korean_font(tmp_path):
    import docx
    from docx.oxml.ns import qn

    path = export_manuscript(chaptered_story(), tmp_path / "고개.docx")
    document = docx.Document(str(path))
    shown = [(p.style.name, p.text) for p in document.paragraphs]
    assert shown == [("Title", "안개 낀 고개"), ("Normal", PARAGRAPHS[0]), ("Heading 1", "제1장 산길"),
                     ("Normal", PARAGRAPHS[1]), ("Heading 1", "제2장 사슴"), ("Normal", PARAGRAPHS[2]),
                     ("Quote", PARAGRAPHS[3]), ("Normal", PARAGRAPHS[4])]
    assert document.core_properties.title == "안개 낀 고개"
    for style in ("Normal", "Title", "Heading 1", "Quote"):
        rpr = document.styles[style].element.rPr
        assert rpr.rFonts.get(qn("w:eastAsia")) == DOCX_KOREAN_FONT, style
        assert rpr.rFonts.get(qn("w:eastAsiaTheme")) is None, style  # or the theme's font would win
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "ko-KR"
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1].paragraph_format.page_break_before


def test_epub_holds_title_chapters_text_language_and_korean_fonts(tmp_path):
    import ebooklib
    from ebooklib import epub

    path = export_manuscript(chaptered_story(), tmp_path / "고개.epub")
    book = epub.read_epub(str(path))
    assert book.get_metadata("DC", "title")[0][0] == "안개 낀 고개"
    assert book.get_metadata("DC", "language")[0][0] == "ko"
    pages = [item for item in book.get_items_of_type(ebooklib.ITEM_DOCUMENT) if item.file_name.startswith("chapter")]
    raw = [page.content.decode("utf-8") for page in pages]  # as written, not as ebooklib re-renders it
    assert [page.title for page in book.toc] == ["안개 낀 고개", "제1장 산길", "제2장 사슴"]
    assert all('lang="ko"' in page and 'href="style/book.css"' in page for page in raw)
    assert "<h1>제2장 사슴</h1>" in raw[2] and f"<blockquote><p>{PARAGRAPHS[3]}</p></blockquote>" in raw[2]
    assert all(any(f"<p>{paragraph}</p>" in page for page in raw) for paragraph in PARAGRAPHS)
    css = book.get_item_with_href("style/book.css").content.decode("utf-8")
    assert '"Noto Serif KR"' in css and '"바탕"' in css and "word-break: keep-all" in css
    nav = [item for item in book.get_items() if item.file_name == "nav.xhtml"]
    assert nav and "제1장 산길" in nav[0].content.decode("utf-8")


def test_export_refuses_other_endings(tmp_path):
    with pytest.raises(ManuscriptError, match=r"\.docx or \.epub"):
        export_manuscript(chaptered_story(), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_cli_export(tmp_path):
    story_path = tmp_path / "고개.story.json"
    save_story(chaptered_story(), story_path)
    for ending in (".docx", ".epub", ".md"):
        result = storyteller("export", str(story_path), "--to", str(tmp_path / f"out{ending}"))
        assert result.returncode == 0, result.stderr
    assert "# 제1장 산길" in (tmp_path / "out.md").read_text("utf-8")
    bad = storyteller("export", str(story_path), "--to", str(tmp_path / "out.pdf"))
    assert bad.returncode == 2 and ".docx, .epub, .md, .txt" in bad.stderr


def test_file_export_writes_word_and_epub(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window.set_story(chaptered_story(), None)
    chosen = iter([(str(tmp_path / "원고"), "Word document (*.docx)"), (str(tmp_path / "책.epub"), "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: next(chosen))
    export = window.findChild(type(window.continue_action), "export")
    export.trigger()
    window.story.title = "바뀐 제목"  # the manuscript is written from the story as it was when asked for
    export.trigger()
    qtbot.waitUntil(lambda: "Exported to" in window.statusBar().currentMessage()
                    and "책.epub" in window.statusBar().currentMessage(), timeout=30_000)
    import docx
    from ebooklib import epub

    document = docx.Document(str(tmp_path / "원고.docx"))
    assert document.paragraphs[0].text == "안개 낀 고개" and document.paragraphs[2].text == "제1장 산길"
    assert epub.read_epub(str(tmp_path / "책.epub")).get_metadata("DC", "title")[0][0] == "바뀐 제목"


def test_a_failed_export_says_why(qtbot, window, tmp_path):
    window.set_story(Story(), None)
    window.files.export_to(tmp_path / "빈.epub")
    qtbot.waitUntil(lambda: window.last_error is not None, timeout=30_000)
    assert "empty" in window.last_error.text() and not (tmp_path / "빈.epub").exists()


def test_a_continuation_begun_mid_paragraph_stays_in_that_paragraph_in_every_format(tmp_path):
    """The editor's paragraphs, in .txt, .md, .docx and .epub alike (the manuscripts cut a paragraph
    wherever a piece began: "…쥐었다." / "나는 그리고…")."""
    import docx
    from ebooklib import ITEM_DOCUMENT, epub

    from storyteller.engine.story.formats import export_markdown, export_text

    story = Story(title="편지", pieces=[Piece.of(Author.WRITER, "나는 편지를 꼭 쥐었다."),
                                        Piece.of(Author.MODEL, " 그리고 천천히 봉투를 열었다.\n다음 날 아침이었다."),
                                        Piece.of(Author.WRITER, " 비가 왔다.")])
    editor_paragraphs = [line for line in story.text().split("\n") if line.strip()]
    assert editor_paragraphs == ["나는 편지를 꼭 쥐었다. 그리고 천천히 봉투를 열었다.",
                                 "다음 날 아침이었다. 비가 왔다."]
    for text in (export_text(story), export_markdown(story)):
        lines = [line.rstrip() for line in text.split("\n")]  # Markdown ends a line with two spaces
        assert [line for line in lines if line and not line.startswith("#")] == editor_paragraphs
    document = docx.Document(str(export_manuscript(story, tmp_path / "편지.docx")))
    assert [p.text for p in document.paragraphs if p.style.name == "Normal"] == editor_paragraphs
    book = epub.read_epub(str(export_manuscript(story, tmp_path / "편지.epub")))
    body = "".join(item.get_content().decode() for item in book.get_items_of_type(ITEM_DOCUMENT))
    assert all(f"<p>{paragraph}</p>" in body for paragraph in editor_paragraphs)


def test_control_characters_from_an_imported_text_do_not_break_the_export(tmp_path):
    import docx

    story = Story(title="제목\x07", pieces=[Piece.of(Author.WRITER, "종이 울렸다\x07.\x0b 끝\ufffe.")])
    for ending in (".docx", ".epub"):
        assert export_manuscript(story, tmp_path / f"종{ending}").stat().st_size > 0
    assert [p.text for p in docx.Document(str(tmp_path / "종.docx")).paragraphs] == ["제목", "종이 울렸다. 끝."]
