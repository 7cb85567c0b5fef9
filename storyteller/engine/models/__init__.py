"""Models on disk and in memory: the catalogue, the store, downloads, folder checks, the memory fit,
loading with the tokenizer, GGUF export and the runtimes that run the forward pass."""
