"""``python -m dashboard.kpi_cli``: kept where scripts already call it; the command lives in
``dashboard/cli/kpi.py`` with the product's other command lines."""

import sys

from dashboard.cli.kpi import main

if __name__ == "__main__":
    sys.exit(main())
