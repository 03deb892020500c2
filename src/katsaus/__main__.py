import gc
import sys

from katsaus.cli import main

status = main()
gc.freeze()  # the finished command's objects need no collecting at exit, which would take up to 2 s
sys.exit(status)
