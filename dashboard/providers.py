"""``python -m dashboard.providers``: kept where scripts call it; the command lives in
``dashboard/cli/providers.py`` with the product's other command lines."""

import sys

from dashboard.cli.providers import main

if __name__ == "__main__":
    sys.exit(main())
