"""`python -m translate`: an alias of `python -m debrief`, kept for older scripts."""

import sys

from debrief.cli import main

sys.exit(main())
