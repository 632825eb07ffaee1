"""tools/ on the path: the tests read the sandbox's release table
(``sandbox_lib.releases``) and test the sandbox's own modules."""

import pathlib
import sys

TOOLS = pathlib.Path(__file__).resolve().parents[1] / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))
