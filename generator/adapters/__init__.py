"""Entry points over the pipeline: the MkDocs plugin, the CLI, emit and the atomic build."""
