"""The root of the project's one error tree.

It lives in `lookup/` because that is the bottom of the import graph: every other
package may import it, so every error the product raises can share one base class.
"""

from __future__ import annotations


class EnquiryDeskError(Exception):
    """Base of every error Enquiry Desk raises on purpose.

    Callers at the top (the CLI, the web server, the run loop) catch this one class to
    turn a known failure into a clear message, and let anything else surface as a bug.
    """
