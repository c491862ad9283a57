"""`python -m minemap` is the `minemap` command."""
from minemap.cli import main

main()
