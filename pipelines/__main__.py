"""``python -m pipelines``: the ``spm`` command without the installed script."""

from pipelines.cli.root import cli

cli()
