"""The review desk: the web pages where clerks approve drafts, search contacts and see the
workload, served on the one FastAPI app (`install_desk`).

Pages are rendered on the server (Jinja2) and work without JavaScript; the vendored htmx
(2.0.11, 0BSD, from its registry package; see static/htmx.LICENSE.txt) only saves a
reload here and there. Nothing is fetched from outside: force networks are closed.
"""

from bot.desk.app import install_desk
from bot.desk.config import DeskConfig, Redraft

__all__ = ["DeskConfig", "Redraft", "install_desk"]
