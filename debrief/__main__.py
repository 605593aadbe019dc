"""`python -m debrief`: the same as the `debrief` command."""

import sys

from debrief.cli import main

sys.exit(main())
