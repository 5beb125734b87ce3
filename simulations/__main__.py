"""``python -m simulations run|validate|list ...`` -- see simulations/cli.py."""

import sys

from .cli import main

sys.exit(main())
