"""``python -m dashboard.savings``: kept where scripts call it; the command lives in
``dashboard/cli/savings.py`` with the product's other command lines."""

import sys

from dashboard.cli.savings import main

if __name__ == "__main__":
    sys.exit(main())
