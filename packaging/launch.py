"""The bundle's entry point: one program behind two executables.

``reviewer`` is the command line (with no command it opens the window, as when installed with
pip); ``reviewer-gui`` is what the menu entry and double-clicking a file start: it opens the
window with the files it is given, and on Windows and macOS it has no console.
"""

import sys
from pathlib import Path

if Path(sys.executable).stem.lower().endswith("-gui"):
    from reviewer.ui.app import gui_script as main
else:
    from reviewer.cli import main

sys.exit(main())
