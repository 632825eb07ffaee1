#!/bin/sh
# A long action plan: three sleep actions of 60, 61 and 62 seconds, chained
# by the actuator strategy. Prints the plan's UUID; the plan stays
# RECOMMENDED until started.
set -eu
watcher-ext audit create --goal unclassified --strategy actuator --force \
    -p 'actions=[{"action_type": "sleep", "input_parameters": {"duration": 60}},
                 {"action_type": "sleep", "input_parameters": {"duration": 61}},
                 {"action_type": "sleep", "input_parameters": {"duration": 62}}]' \
    --wait 120 -f value -c "Action Plan"
