"""``python -m supervisor_planner``: the command-line interface (see :mod:`supervisor_planner.cli`)."""

from supervisor_planner.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
