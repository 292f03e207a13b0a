"""Input the tool cannot use: one clear line for the bursar, exit status 2.

Every layer raises these (a reader for a broken file, the settings for a bad value, the entry
point when no ledger is found); the command line and the buttons print the message, never a
traceback. They import nothing of the tool, so any module may use them.
"""

from __future__ import annotations


class InputError(Exception):
    """Input that cannot be used: the CLI prints the message and exits with status 2."""
