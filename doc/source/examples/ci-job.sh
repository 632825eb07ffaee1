#!/bin/sh
# CI job: make an action plan, run it, and fail unless it SUCCEEDED.
# GOAL and STRATEGY name the audit's goal and strategy; the arguments, if
# any, are further `audit create` options such as -p NAME=VALUE.
# Exit 0: SUCCEEDED; 3: the audit or the plan ended otherwise (the reason is
# on stderr); 4: timed out; 1: an error.
set -eu
plan=$(watcher-ext audit create --goal "$GOAL" --strategy "$STRATEGY" "$@" \
    --wait 300 -f value -c "Action Plan")
echo "action plan $plan"
watcher-ext actionplan start "$plan" --wait 1800 -f value -c State
