"""tools/sandbox, room by room; the standard library only.

    settings   ports, dirs, release and auth mode, from the environment
    releases   the Watcher releases it runs and what differs between them
    procs      process groups, PID files and logged commands
    probes     "is it up" checks over TCP and HTTP
    install    apt (waiting for the dpkg lock) and venv installs
    service    what every service has: start, await_ready, stop, status
    epmd  rabbitmq  keystone  watcher    one service each (keystone also
               the keystone auth mode; keystone_identity its accounts)
    auth       the auth modes: noauth here, keystone in its own module
    history    a long history written into Watcher's database
    stack      up, down, status, env and seed-history over the services
    cli        the command line
"""
