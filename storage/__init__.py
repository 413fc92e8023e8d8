"""SQLModel tables, engines and sessions, migrations, the records import and the logs.

Other packages get plain values from here, never table objects or SQLAlchemy errors:
every database failure leaves this package as a `StorageError`.
"""

from storage.engine import make_engine, normalise_url, session_scope, sqlite_url
from storage.errors import DatabaseUnavailable, ImportFileError, SchemaOutOfDate, StorageError
from storage.records_import import ImportSummary, Rejection, import_file, import_rows

__all__ = [
    "DatabaseUnavailable",
    "ImportFileError",
    "ImportSummary",
    "Rejection",
    "SchemaOutOfDate",
    "StorageError",
    "import_file",
    "import_rows",
    "make_engine",
    "normalise_url",
    "session_scope",
    "sqlite_url",
]
