"""The site scanner behind ``consent scan``: proves in a real browser what a site does before, after
"Accept all" and after "Reject all", and compares it with the configuration.

Private: the command line is the public interface (``consent scan --help``). Needs the ``[scan]`` extra
(Playwright) and an installed Chromium.
"""

from ._browser import DEFAULT_BROWSER, ScanError, Timing
from ._crawl import ScanOptions, scan
from ._model import Report, as_json

__all__ = ["DEFAULT_BROWSER", "Report", "ScanError", "ScanOptions", "Timing", "as_json", "scan"]
