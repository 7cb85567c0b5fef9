"""`storyteller story tree FILE`: print a story file's version tree."""

from __future__ import annotations

from pathlib import Path


def add_parser(commands) -> None:
    parser = commands.add_parser("story", help="look into a story file", description="Look into a story file.")
    actions = parser.add_subparsers(dest="story_command", metavar="ACTION", required=True)
    tree = actions.add_parser(
        "tree", help="print the version tree of a story",
        description="Print every version of every piece, the story's own path marked (* on it, ▶ its last node); "
                    "each other version is indented below its piece with the story that followed it.")
    tree.add_argument("file", type=Path, help="a .story.json file")
    tree.set_defaults(run=run_tree)


def run_tree(args) -> int:
    from storyteller.engine.story.file import load_story
    from storyteller.engine.story.tree import count_nodes, tree_lines

    story = load_story(args.file)
    for line in tree_lines(story.pieces):
        print(line)
    print(f"{count_nodes(story.pieces)} versions; the story is {len(story.pieces)} pieces long.")
    return 0
