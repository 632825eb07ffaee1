"""``watcher-ext``, and ``python -m watcherclient_ext``.

Start-up makes some thirty thousand objects for the cyclic garbage
collector to track (modules, classes, functions), all living as long as
the process, and the collector would walk them over and over while they
are made. It is off until the command runs;
:meth:`watcherclient_ext.shell.WatcherExtApp.prepare_to_run_command` then
leaves them out of every later collection.
"""

import gc
import sys


def main():
    gc.disable()
    from watcherclient_ext import shell

    return shell.main()


if __name__ == "__main__":
    sys.exit(main())
