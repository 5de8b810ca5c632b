"""The spm command: argument parsing only; every command calls the library.

Click's own messages are made Indonesian here, before any command module builds its
options (their types keep the words they were built with): :mod:`pipelines.cli.messages`.
"""

from pipelines.cli import messages

messages.install()
