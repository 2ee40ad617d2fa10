"""Heavy libraries imported when first used, not when the app starts.

scikit-learn, SciPy, statsmodels and matplotlib together add about 250 MB to a
process that imports them, which the window paid at start-up whether or not the
reviewer ever ranked, pooled or drew anything. ``lazy("scipy.stats")`` stands for
the module and imports it on its first attribute access (then every access is a
plain module attribute lookup).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _Lazy(ModuleType):
    def __init__(self, name: str):
        super().__init__(name)
        self.__dict__["_module"] = None

    def __getattr__(self, attr: str) -> Any:
        module = self.__dict__["_module"]
        if module is None:
            module = importlib.import_module(self.__name__)
            self.__dict__["_module"] = module
        return getattr(module, attr)


def lazy(name: str) -> Any:
    """The module ``name``, imported on first use."""
    return _Lazy(name)
