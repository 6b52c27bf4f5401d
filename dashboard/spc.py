"""``python -m dashboard.spc``: kept where scripts already call it; the command lives in
``dashboard/cli/spc.py`` with the product's other command lines."""

import sys

from dashboard.cli.spc import main

if __name__ == "__main__":
    sys.exit(main())
