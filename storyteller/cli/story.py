"""`storyteller story tree FILE`: print a story file's version tree; `storyteller story import FILE -o OUT`:
a .txt, .md or KoboldAI save as a story file."""

from __future__ import annotations

from pathlib import Path

from storyteller.engine.core.errors import StorytellerError


def add_parser(commands) -> None:
    parser = commands.add_parser("story", help="look into a story file", description="Look into a story file.")
    actions = parser.add_subparsers(dest="story_command", metavar="ACTION", required=True)
    tree = actions.add_parser(
        "tree", help="print the version tree of a story",
        description="Print every version of every piece, the story's own path marked (* on it, ▶ its last node); "
                    "each other version is indented below its piece with the story that followed it.")
    tree.add_argument("file", type=Path, help="a .story.json file")
    tree.set_defaults(run=run_tree)
    imported = actions.add_parser(
        "import", help="make a story file from a .txt, .md or KoboldAI save (.json)",
        description="Read a text file (a piece per paragraph; a Markdown file's first heading is the title) or a "
                    "KoboldAI story save and write it as a new story file. The file read is never changed.")
    imported.add_argument("file", type=Path, help="a .txt, .md or KoboldAI .json file")
    imported.add_argument("-o", "--output", type=Path, required=True, help="the new story file (.story.json)")
    imported.add_argument("--force", action="store_true", help="replace the output file if it exists")
    imported.set_defaults(run=run_import)


def run_tree(args) -> int:
    from storyteller.engine.story.file import load_story
    from storyteller.engine.story.tree import count_nodes, tree_lines

    story = load_story(args.file)
    for line in tree_lines(story.pieces):
        print(line)
    print(f"{count_nodes(story.pieces)} versions; the story is {len(story.pieces)} pieces long.")
    return 0


def run_import(args) -> int:
    from storyteller.engine.story.file import save_story
    from storyteller.engine.story.formats import import_kobold, import_text

    is_text = args.file.suffix.lower() in (".txt", ".md")
    story = import_text(args.file) if is_text else import_kobold(args.file)
    refuse_to_replace(args.output, args.force)
    save_story(story, args.output)
    print(f"{args.output}: {len(story.pieces)} pieces from {args.file}")
    return 0


def refuse_to_replace(output: Path, force: bool) -> None:
    """A command writes a new file: one already there is kept, unless --force says otherwise."""
    if output.exists() and not force:
        raise StorytellerError("{path} exists: choose another name, or add --force to replace it.", path=output)
