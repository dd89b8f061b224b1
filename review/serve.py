"""``pss-intake serve``: the review app under uvicorn."""

from __future__ import annotations

import logging

from pss_intake.config import Settings

__all__ = ["serve"]


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    """Serve the review app on the configured database until interrupted; 0 on a clean stop.

    Forwarded headers are handled by the app itself, from ``review.trusted_proxies`` only
    (uvicorn's own handling would believe X-Forwarded-For from 127.0.0.1).
    """
    import uvicorn

    from review.app import create_app
    from store.db import open_database

    db = open_database(settings.database.url)
    try:
        app = create_app(settings, db)
        # log_config=None: uvicorn's loggers go through ours (logging.format text or json).
        logging.getLogger("uvicorn.access").addFilter(_without_query)
        uvicorn.run(app, host=host or settings.review.host, port=port or settings.review.port,
                    proxy_headers=False, server_header=False, log_level="info",
                    log_config=None)
    finally:
        db.dispose()
    return 0


def _without_query(record: logging.LogRecord) -> bool:
    """uvicorn's access line without the query string: a search or filter (``?user=…``) can
    carry an e-mail address or a name, and logs must not."""
    args = record.args
    if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
        record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
    return True
