import sys

from data_loaders.cli import main

sys.exit(main())
