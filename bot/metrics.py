"""Prometheus metrics at `/metrics`: work figures from the database, and loop lag.

The work figures are read at each scrape (see storage/work_figures.py); the loop lag is
this process's own, measured by a task that asks to wake every `LAG_PROBE` seconds and
records how late it woke.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import time
from collections.abc import Iterator

from fastapi import FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Gauge, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from bot.settings import LOOPBACK_HOSTS
from lookup.errors import EnquiryDeskError
from storage.engine import Engine
from storage.work_figures import work_figures

LAG_PROBE = 0.5


class WorkCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[Metric]:
        try:
            figures = work_figures(self._engine)
        except EnquiryDeskError:
            up = GaugeMetricFamily("enquiry_desk_database_up", "1 if the database answered")
            up.add_metric([], 0)
            yield up
            return
        up = GaugeMetricFamily("enquiry_desk_database_up", "1 if the database answered")
        up.add_metric([], 1)
        yield up
        inbound = CounterMetricFamily(
            "enquiry_desk_enquiries", "Enquiries logged, by channel", labels=["channel"]
        )
        for channel, count in sorted(figures.enquiries_by_channel.items()):
            inbound.add_metric([channel], count)
        yield inbound
        for name, help_text, value in (
            ("enquiry_desk_enquiries_matched", "Enquiries matched to a record", figures.matched),
            (
                "enquiry_desk_replies_verified",
                "Reply drafts for a verified writer",
                figures.verified,
            ),
            (
                "enquiry_desk_enquiries_flagged",
                "Enquiries flagged, never answered",
                figures.flagged,
            ),
            ("enquiry_desk_sends_failed", "Messages that failed permanently", figures.sends_failed),
            ("enquiry_desk_sent", "Messages sent", figures.sent),
        ):
            counter = CounterMetricFamily(name, help_text)
            counter.add_metric([], value)
            yield counter
        for name, help_text, value in (
            ("enquiry_desk_drafts_waiting", "Drafts waiting for a clerk", figures.drafts_waiting),
            (
                "enquiry_desk_outbox_pending",
                "Approved messages not yet sent",
                figures.outbox_pending,
            ),
        ):
            gauge = GaugeMetricFamily(name, help_text)
            gauge.add_metric([], value)
            yield gauge


class Metrics:
    """One registry per app, so tests and several apps in one process do not collide."""

    def __init__(self, engine: Engine, *, token: str | None = None) -> None:
        # With a token, /metrics answers only a request that bears it; without one, only
        # this machine (its counts say how many enquiries were matched and verified,
        # which is not for anyone on the network to watch).
        self.token = token
        self.registry = CollectorRegistry()
        self.registry.register(WorkCollector(engine))
        self.loop_lag = Gauge(
            "enquiry_desk_loop_lag_seconds",
            "How late the event loop woke a task that asked to wake on time",
            registry=self.registry,
        )

    def mount(self, web: FastAPI) -> None:
        @web.get("/metrics", include_in_schema=False)
        def metrics(request: Request) -> Response:
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

    def _refusal(self, request: Request) -> Response | None:
        if self.token is not None:
            given = request.headers.get("authorization", "")
            if hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
                return None
            return Response(
                "a bearer token is needed", status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        host = request.client.host if request.client else ""
        if host in LOOPBACK_HOSTS:
            return None
        return Response("only from this machine, or set METRICS_TOKEN", status_code=403)

    async def watch_loop_lag(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            asked = time.perf_counter()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=LAG_PROBE)
            self.loop_lag.set(max(0.0, time.perf_counter() - asked - LAG_PROBE))
