import sys

from katsaus.cli import main

sys.exit(main())
