from harvester.cli import cli

cli(prog_name="harvester")
