"""``python -m dashboard.audit``: kept where scripts already call it; the command lives in
``dashboard/cli/audit.py`` with the product's other command lines."""

import sys

from dashboard.cli.audit import main

if __name__ == "__main__":
    sys.exit(main())
