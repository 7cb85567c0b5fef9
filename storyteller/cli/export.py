"""`storyteller export STORY --to FILE`: the story as a manuscript or plain text, by the file's ending."""

from __future__ import annotations

from pathlib import Path

from storyteller.engine.core.errors import StorytellerError

ENDINGS = (".docx", ".epub", ".md", ".txt")


def add_parser(commands) -> None:
    export = commands.add_parser("export", help="write a story as .docx, .epub, .md or .txt")
    export.add_argument("story", help="a .story.json file")
    export.add_argument("--to", required=True, metavar="FILE", help=f"the file to write ({', '.join(ENDINGS)})")
    export.set_defaults(run=run_export)


def run_export(args) -> int:
    from storyteller.engine.core.atomic import write_atomic
    from storyteller.engine.story.file import load_story
    from storyteller.engine.story.formats import export_markdown, export_text
    from storyteller.engine.story.manuscripts import WRITERS, export_manuscript

    story, target = load_story(Path(args.story)), Path(args.to)
    ending = target.suffix.lower()
    if ending in WRITERS:
        export_manuscript(story, target, title=Path(args.story).name.removesuffix(".story.json"))
    elif ending in (".md", ".txt"):
        text = export_markdown(story) if ending == ".md" else export_text(story)
        write_atomic(target, text.encode("utf-8"))
    else:
        raise StorytellerError("--to {path}: name the file with one of {endings}.", path=target,
                               endings=", ".join(ENDINGS))
    print(f"{target}: written")
    return 0
