"""``python -m chipscreen``."""

from chipscreen.cli import main

main()
