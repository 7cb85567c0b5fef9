"""Manuscripts: the story as a Word document (.docx, python-docx) or an e-book (.epub, ebooklib).

A story's chapters are marked in its text the way its Markdown export reads them: a line that is a
Markdown heading (`# 제1장 안개` or `## 제1장 안개`) starts a chapter with that title. Text before the
first heading is an untitled opening chapter. Every other non-empty line is a paragraph; in an
adventure, the player's `> …` action lines are set apart as quotations, as in the Markdown export.

Korean needs its fonts named where each format looks for them: Word takes the East Asian font of a
style from its `w:rFonts w:eastAsia` (python-docx's `font.name` sets only the Latin ones), and the
e-book's CSS names a Korean font stack and its pages say `lang="ko"` so readers pick Korean fonts and
line breaking.
"""

from __future__ import annotations

import bisect
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from storyteller.engine.core.atomic import write_atomic
from storyteller.engine.core.errors import tr
from storyteller.engine.story.document import Author, Story
from storyteller.engine.story.file import StoryFileError

CHAPTER_HEADING = re.compile(r"^\s{0,3}#{1,2}[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$")
ACTION_LINE = re.compile(r"^>\s?")

# Word: one East Asian font per style (Word substitutes one it has when it is missing); Latin text
# keeps the theme's font. Noto Serif KR ships with Linux desktops and is free for Windows and macOS.
DOCX_KOREAN_FONT = "Noto Serif KR"
# E-books: the first font the reader has wins; "serif" lets a Korean reader use its own Korean serif.
EPUB_KOREAN_FONTS = ('"Noto Serif KR", "Noto Serif CJK KR", "Nanum Myeongjo", "나눔명조", "Batang", "바탕", '
                     '"AppleMyungjo", serif')
LANGUAGE = "ko"


class ManuscriptError(StoryFileError):
    """A manuscript cannot be made or written."""


@dataclass
class Paragraph:
    text: str
    action: bool = False  # a player's action in an adventure


@dataclass
class Chapter:
    title: str  # empty for the text before the first heading
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Manuscript:
    title: str
    chapters: list[Chapter]

    def text(self) -> str:
        """The manuscript's words in order, headings included: what a reader reads."""
        lines = [self.title]
        for chapter in self.chapters:
            lines += [chapter.title] if chapter.title else []
            lines += [paragraph.text for paragraph in chapter.paragraphs]
        return "\n".join(line for line in lines if line)


def manuscript_of(story: Story, title: str = "") -> Manuscript:
    """The story cut into chapters at its heading lines; `title` stands in for a story without one.

    Paragraphs are the lines of the story's whole text, as the editor shows them: a continuation
    that began mid-paragraph stays in that paragraph. A line is the player's action (a quote) when
    its first character was written by the player."""
    chapters = [Chapter("")]
    text, authors = story.text(), _authors_by_offset(story)
    start = 0
    for line in text.split("\n"):
        first = start + len(line) - len(line.lstrip())
        start += len(line) + 1
        line = _xml_text(line)
        heading = CHAPTER_HEADING.match(line)
        if heading:
            chapters.append(Chapter(heading["title"].strip()))
        elif line.strip():
            is_action = authors(first) is Author.PLAYER and ACTION_LINE.match(line.lstrip()) is not None
            body = ACTION_LINE.sub("", line.lstrip()).strip() if is_action else line.strip()
            chapters[-1].paragraphs.append(Paragraph(body, is_action))
    if not chapters[0].paragraphs:
        chapters.pop(0)
    if not any(chapter.paragraphs or chapter.title for chapter in chapters):
        raise ManuscriptError(tr("The story is empty: write something before exporting it."))
    return Manuscript(_xml_text(story.title.strip() or title.strip()), chapters)


def _authors_by_offset(story: Story):
    """offset in story.text() -> the author of the piece holding it."""
    ends, authors, position = [], [], 0
    for piece in story.pieces:
        position += len(piece.text)
        ends.append(position)
        authors.append(piece.author)

    def author_at(offset: int) -> Author | None:
        index = bisect.bisect_right(ends, offset)
        return authors[index] if index < len(authors) else None

    return author_at


# Characters XML 1.0 cannot hold (python-docx and ebooklib refuse them): control characters a story
# may carry from an imported file, lone surrogates, and the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


# -- Word -----------------------------------------------------------------------------------------


def docx_bytes(story: Story, title: str = "") -> bytes:
    from docx import Document

    manuscript = manuscript_of(story, title)
    document = Document()
    for style in ("Normal", "Title", "Heading 1", "Quote"):
        _declare_korean_font(document.styles[style])
    document.core_properties.title = manuscript.title
    document.core_properties.language = "ko-KR"
    if manuscript.title:
        document.add_heading(manuscript.title, level=0)
    for index, chapter in enumerate(manuscript.chapters):
        if chapter.title:
            heading = document.add_heading(chapter.title, level=1)
            if index > 0:  # each chapter on a page of its own, as in a printed book
                heading.paragraph_format.page_break_before = True
        for paragraph in chapter.paragraphs:
            document.add_paragraph(paragraph.text, style="Quote" if paragraph.action else None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _declare_korean_font(style) -> None:
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), DOCX_KOREAN_FONT)
    # Themes name their own East Asian font, which wins over w:eastAsia unless it goes.
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    language = style.element.rPr.find(qn("w:lang"))
    if language is None:
        language = style.element.rPr.makeelement(qn("w:lang"), {})
        style.element.rPr.append(language)
    language.set(qn("w:eastAsia"), "ko-KR")


# -- EPUB -----------------------------------------------------------------------------------------

EPUB_CSS = f"""body {{ font-family: {EPUB_KOREAN_FONTS}; line-height: 1.8; word-break: keep-all; }}
h1, h2 {{ font-family: {EPUB_KOREAN_FONTS}; text-align: center; margin: 2em 0 1.5em; }}
p {{ text-indent: 1em; margin: 0 0 0.4em; }}
blockquote {{ margin: 0.8em 1.5em; font-style: italic; }}
"""


def epub_bytes(story: Story, title: str = "") -> bytes:
    from ebooklib import epub

    manuscript = manuscript_of(story, title)
    book_title = manuscript.title or "무제"  # "untitled": the book's language, not the app's
    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{_uuid_of(story.id)}")
    book.set_title(book_title)
    book.set_language(LANGUAGE)
    style = epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css", content=EPUB_CSS)
    book.add_item(style)
    pages = []
    for number, chapter in enumerate(manuscript.chapters, 1):
        heading = chapter.title or book_title
        page = epub.EpubHtml(title=heading, file_name=f"chapter-{number:03d}.xhtml", lang=LANGUAGE)
        body = [f"<h1>{html.escape(heading)}</h1>"]
        for paragraph in chapter.paragraphs:
            text = html.escape(paragraph.text)
            body.append(f"<blockquote><p>{text}</p></blockquote>" if paragraph.action else f"<p>{text}</p>")
        page.content = "\n".join(body)
        page.add_item(style)
        book.add_item(page)
        pages.append(page)
    book.toc = pages
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *pages]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    return buffer.getvalue()


def _uuid_of(story_id: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"storyteller:{story_id}"))


# -- files ----------------------------------------------------------------------------------------

WRITERS = {".docx": docx_bytes, ".epub": epub_bytes}


def export_manuscript(story: Story, path: Path, title: str = "") -> Path:
    """Write the story to `path` as .docx or .epub (by its suffix), atomically."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ManuscriptError(
            tr("{path}: a manuscript is a .docx or .epub file; name the file with one of these endings."), path=path
        )
    data = writer(story, title or path.stem)
    try:
        write_atomic(path, data)
    except OSError as error:
        raise ManuscriptError(
            tr("The manuscript could not be written to {path}: {reason}."), path=path,
            reason=error.strerror or str(error),
        ) from error
    return path
