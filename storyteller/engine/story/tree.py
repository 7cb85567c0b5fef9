"""The version tree: every version of every piece is a node, and the story is one path through it.

The tree lives in the pieces themselves (story.Piece): `Story.pieces` is the current path, and each
version not chosen keeps in `Piece.branches` the pieces that followed it. So everything that reads
`story.pieces` reads the current path, and choosing a version is the one way to move in the tree.

A node is named by its address: the version taken at each depth on the way down. (v0, v1, …, vk) is
version vk of the piece at depth k, reached through version v0 of the first piece, then version v1
of the piece after it, and so on; the piece after version v is the next one in the same list when v
is chosen there, else the first of `branches[v]`. Addresses are recomputed after every change (a
pruned version shifts the ones after it), so commands keep addresses, never piece objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyteller.engine.story.document import Author, Piece

Address = tuple[int, ...]
ENDS = 22  # characters a summary shows of a node's start and of its end


def summary(text: str, ends: int = ENDS) -> str:
    """A node's text on one line: its start and its end, so long Korean paragraphs stay readable."""
    flat = " ".join(text.split())
    return flat if len(flat) <= 2 * ends + 3 else f"{flat[:ends]} … {flat[-ends:]}"


def choose(pieces: list[Piece], index: int, version: int) -> None:
    """Make `version` of pieces[index] the chosen one: what followed the old choice becomes its
    branch, and the new choice's branch (if it has one) follows it now. Nothing is lost."""
    piece = pieces[index]
    if version == piece.chosen:
        return
    rest = pieces[index + 1:]
    del pieces[index + 1:]
    if rest:
        piece.branches[piece.chosen] = rest
    pieces.extend(piece.branches.pop(version, []))
    piece.chosen = version


def current_address(pieces: list[Piece]) -> Address:
    """The address of the story's last node: the chosen version of every piece."""
    return tuple(piece.chosen for piece in pieces)


def locate(pieces: list[Piece], address: Address) -> tuple[list[Piece], int]:
    """The list that holds the piece of the addressed node, and its index there (KeyError if none)."""
    found, index = pieces, 0
    for depth, version in enumerate(address):
        if index >= len(found) or not 0 <= version < len(found[index].versions):
            break
        if depth == len(address) - 1:
            return found, index
        piece = found[index]
        if version == piece.chosen:
            index += 1
        else:
            found, index = piece.branches.get(version, []), 0
    raise KeyError(address)


def exists(pieces: list[Piece], address: Address) -> bool:
    try:
        locate(pieces, address)
    except KeyError:
        return False
    return True


def node_text(pieces: list[Piece], address: Address) -> str:
    found, index = locate(pieces, address)
    return found[index].versions[address[-1]]


def following(pieces: list[Piece], address: Address) -> list[Piece]:
    """The pieces after the node: the list its path goes on with (empty for a leaf)."""
    found, index = locate(pieces, address)
    piece, version = found[index], address[-1]
    return found[index + 1:] if version == piece.chosen else piece.branches.get(version, [])


def owner(pieces: list[Piece], address: Address) -> tuple[Piece, int] | None:
    """The piece and version whose branch holds the addressed node (None: the story's own list)."""
    found, index, held_by = pieces, 0, None
    for version in address[:-1]:
        piece = found[index]
        if version == piece.chosen:
            index += 1
        else:
            found, index, held_by = piece.branches.get(version, []), 0, (piece, version)
    return held_by


def go_to(pieces: list[Piece], address: Address) -> None:
    """Put the node on the story's path: its way down, then what followed it when it was left."""
    locate(pieces, address)  # refuse an address that names no node before changing anything
    for depth, version in enumerate(address):
        choose(pieces, depth, version)


def story_text_at(pieces: list[Piece], address: Address) -> str:
    """The story as it reads with the node on its path (what go_to would show)."""
    found, index, parts = pieces, 0, []
    for version in address:
        piece = found[index]
        parts.append(piece.versions[version])
        if version == piece.chosen:
            index += 1
        else:
            found, index = piece.branches.get(version, []), 0
    parts.extend(piece.text for piece in found[index:])
    return "".join(parts)


def snapshot(pieces: list[Piece]) -> list[Piece]:
    """The text of `pieces` as it reads now, as new pieces without their other versions: what an
    edited version keeps of the story that followed it."""
    return [Piece(piece.author, [piece.text], 0, piece.pinned) for piece in pieces]


# -- the tree as a view shows it ------------------------------------------------------------------


@dataclass
class Node:
    address: Address
    author: Author
    text: str
    pinned: bool
    versions: int  # how many versions its piece has (this one among them)
    on_path: bool  # part of the story as it reads now
    current: bool  # the story's last node
    # The pieces that followed a version not chosen (see `branch`); a chosen version's follow it in its list.
    rest: list[Piece] = field(default_factory=list, repr=False)


@dataclass
class Row:
    """A piece as a list shows it: the chosen version, then the others, each with its branch."""

    chosen: Node
    others: list[Node]


def outline(pieces: list[Piece]) -> list[Row]:
    """The tree as rows: the story's pieces in order, each with its other versions; `branch` gives
    the rows that followed one of those (so a view builds only the branches it shows)."""
    current = current_address(pieces)
    return _rows(pieces, (), True, current)


def branch(node: Node) -> list[Row]:
    """The rows of the story that followed a version not chosen (off the path: nothing is current)."""
    return _rows(node.rest, node.address, False, ())


def _rows(pieces: list[Piece], parent: Address, on_path: bool, current: Address) -> list[Row]:
    rows, prefix = [], parent
    for piece in pieces:
        others = []
        for version in range(len(piece.versions)):
            if version != piece.chosen:
                other = _node(piece, prefix + (version,), False, current)
                other.rest = piece.branches.get(version, [])
                others.append(other)
        rows.append(Row(_node(piece, prefix + (piece.chosen,), on_path, current), others))
        prefix += (piece.chosen,)
    return rows


def _node(piece: Piece, address: Address, on_path: bool, current: Address) -> Node:
    return Node(address, piece.author, piece.versions[address[-1]], piece.pinned, len(piece.versions), on_path,
                on_path and address == current)


def count_nodes(pieces: list[Piece]) -> int:
    return sum(len(piece.versions) + sum(count_nodes(rest) for rest in piece.branches.values()) for piece in pieces)


def tree_lines(pieces: list[Piece]) -> list[str]:
    """The tree as text, one node a line: the story's pieces in order (▶ marks its last node), each
    other version indented below its piece with the story that followed it. Addresses are dotted."""
    lines = []

    def add(rows: list[Row], indent: str) -> None:
        for row in rows:
            for node in (row.chosen, *row.others):
                mark = "▶" if node.current else ("*" if node.on_path else " ")
                pin = " pinned" if node.pinned else ""
                shown = indent if node is row.chosen else indent + "  "
                lines.append(f"{mark} {shown}[{'.'.join(map(str, node.address))}] {node.author.value}"
                             f"{pin}: {summary(node.text)}")
                if node is not row.chosen:
                    add(branch(node), indent + "    ")

    add(outline(pieces), "")
    return lines
