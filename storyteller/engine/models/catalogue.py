"""The models Storyteller knows how to download, each pinned to one commit of its hub repo."""

from __future__ import annotations

from dataclasses import dataclass

from storyteller.engine.core.errors import tr


@dataclass(frozen=True)
class KnownModel:
    """A model the app knows how to download, pinned to one commit so it never changes under us."""

    repo_id: str
    revision: str
    name: str
    license: str
    description: str
    size_hint_bytes: int


# The pinned commit is the head of skt/kogpt2-base-v2's main branch (last updated 2021-09-23):
# it is the parent (d0c0df4) of the model-card pull request #2 (commit 571e897, still unmerged)
# on huggingface.co, and it is the snapshot folder name in public code that loads the model from
# a Hugging Face cache (`models--skt--kogpt2-base-v2/snapshots/d0c0df48…`).
KOGPT2_REPO = "skt/kogpt2-base-v2"
KNOWN_MODELS: dict[str, KnownModel] = {
    model.repo_id: model
    for model in (
        KnownModel(
            repo_id=KOGPT2_REPO,
            revision="d0c0df48bf2b2c9350dd855021a5b216f560c0c7",
            name="kogpt2-base-v2",
            license="CC-BY-NC-SA 4.0",
            description=tr(
                "SK Telecom's Korean GPT-2 v2 (125M parameters, 40 GB of Korean text). Non-commercial use only."
            ),
            # pytorch_model.bin (513 MB) + tokenizer.json (2.8 MB) + config and readme.
            size_hint_bytes=516_000_000,
        ),
    )
}
