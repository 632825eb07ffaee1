#!/bin/sh
# Emergency stop: cancel every action plan that runs or is queued to run,
# then wait up to 10 minutes until none of them runs any more.
# Exit 0: all CANCELLED; 3: some ended otherwise (a cancel that came during
# a plan's last action); 4: still cancelling after 10 minutes; 1: an error.
exec watcher-ext actionplan cancel --state ONGOING --state PENDING \
    --wait 600 -f value -c UUID -c "State Before" -c "State After"
