"""scripts/bench.py's jobs, one module each (scripts/bench.py is the command line)."""
