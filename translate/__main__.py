"""`python -m translate` runs the `debrief` command."""

import sys

from translate.cli import main

sys.exit(main())
