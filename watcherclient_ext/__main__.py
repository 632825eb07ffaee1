"""``watcher-ext``, and ``python -m watcherclient_ext``.

Start-up makes a few hundred thousand objects that live as long as the
process (modules, classes, functions), and the cyclic garbage collector
would walk them over and over while they are made. It is off until the
command runs; :meth:`watcherclient_ext.shell.WatcherExtApp.
prepare_to_run_command` then leaves them out of every later collection.
"""

import gc
import sys


def main():
    gc.disable()
    from watcherclient_ext import shell

    return shell.main()


if __name__ == "__main__":
    sys.exit(main())
