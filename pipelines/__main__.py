from pipelines.cli.root import cli

cli()
