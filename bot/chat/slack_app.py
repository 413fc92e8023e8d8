"""The Slack app (Bolt's `AsyncApp`): officers' questions and the clerks' buttons.

Officers ask by direct message, by mentioning the bot in a channel, or with
`/case <reference, or name and date of birth>`; the answer goes in the thread. Every
request is acknowledged first (Slack allows three seconds) and answered after, so a slow
database never makes Slack retry. The clerks' channel gets each new draft as a card with
Approve and send, Edit and Reject; only clerks may press them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat.clerk_actions import ActionResult, ClerkActions
from bot.chat.draft_card import DraftCard
from bot.chat.officer_desk import ChatQuestion, OfficerDesk
from bot.chat.roster import Roster
from bot.chat.slack_blocks import (
    APPROVE,
    BODY_BLOCK,
    BODY_INPUT,
    EDIT,
    EDIT_VIEW,
    INPUT_LIMIT,
    REASON_BLOCK,
    REASON_INPUT,
    REJECT,
    REJECT_VIEW,
    CardRef,
    draft_blocks,
    draft_summary,
    edit_modal,
    escape,
    reject_modal,
)
from lookup.channels import Channel
from lookup.errors import EnquiryDeskError
from storage.contact_log import NewContact, log_contact
from storage.engine import Engine

log = logging.getLogger(__name__)

CASE_COMMAND = "/case"
USAGE = "Ask with `/case` and a reference, or a name and date of birth, e.g. `/case 3462166202`."
NOT_A_CLERK = "Only clerks of the ticket office can act on drafts."
FAILED = "Sorry, I could not look that up just now. Please try again in a minute."
GROUP_CACHE_SECONDS = 300.0

Ack = Callable[..., Awaitable[Any]]


@dataclass
class _GroupCache:
    """Members of the officer user groups, asked of Slack at most every five minutes."""

    client: AsyncWebClient
    groups: frozenset[str]
    members: frozenset[str] = frozenset()
    fetched_at: float = float("-inf")
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def contains(self, user_id: str) -> bool:
        if not self.groups:
            return False
        async with self.lock:
            if time.monotonic() - self.fetched_at > GROUP_CACHE_SECONDS:
                members: set[str] = set()
                try:
                    for group in sorted(self.groups):
                        reply = await self.client.usergroups_users_list(usergroup=group)
                        members.update(str(u) for u in reply.get("users") or ())
                except SlackApiError as exc:
                    # Keep the last known members; an outage must not admit anyone new.
                    log.warning("cannot read officer groups", extra={"error": _code(exc)})
                else:
                    self.members = frozenset(members)
                    self.fetched_at = time.monotonic()
        return user_id in self.members


def _code(exc: SlackApiError) -> str:
    return str(exc.response.get("error", "unknown")) if exc.response is not None else "unknown"


def build_slack_app(
    *,
    client: AsyncWebClient,
    signing_secret: str | None,
    roster: Roster,
    desk: OfficerDesk,
    clerks: ClerkActions,
) -> AsyncApp:
    """The Bolt app. With `signing_secret` every HTTP request's signature and age are
    checked; without it (Socket Mode, whose connection Slack authenticates) none is."""
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=bool(signing_secret),
        process_before_response=False,
        # Slack's AI-assistant threads and workflow functions are not used here; their
        # middleware would run on every officer's message for nothing.
        attaching_conversation_kwargs_enabled=False,
        attaching_function_token_enabled=False,
    )
    officers = OfficerListeners(client, roster, desk, _GroupCache(client, roster.officer_groups))
    buttons = ClerkListeners(client, roster, clerks)
    # Bolt tries listeners in the order they were added, building each one's arguments
    # to test it: direct messages, the most common question, come first.
    app.event("message")(officers.on_message)
    app.event("app_mention")(officers.on_mention)
    app.command(CASE_COMMAND)(officers.on_case)
    app.action(APPROVE, matchers=[_well_formed_action])(buttons.on_approve)
    app.action(EDIT, matchers=[_well_formed_action])(buttons.on_edit)
    app.action(REJECT, matchers=[_well_formed_action])(buttons.on_reject)
    app.view(EDIT_VIEW, matchers=[_well_formed_view])(buttons.on_edit_saved)
    app.view(REJECT_VIEW, matchers=[_well_formed_view])(buttons.on_reject_saved)
    app.error(_on_error)
    return app


@dataclass
class OfficerListeners:
    """Officers' questions, by direct message, mention or `/case`, answered in the thread."""

    client: AsyncWebClient
    roster: Roster
    desk: OfficerDesk
    groups: _GroupCache

    async def on_message(self, ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        # Only direct messages from people: edits, joins and bots' posts are not questions.
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        await self._ask_event(body, event)

    async def on_mention(self, ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        await self._ask_event(body, event)

    async def on_case(self, ack: Ack, command: dict[str, Any]) -> None:
        text = str(command.get("text") or "")
        if not text.strip():
            await ack(text=USAGE)
            return
        await ack()
        await self.ask(
            # A command has no event id; its trigger id is unique to the one invocation.
            message_id=f"command:{command.get('trigger_id') or command.get('channel_id')}",
            user=str(command.get("user_id", "")),
            text=text,
            channel=str(command.get("channel_id", "")),
            thread_ts=None,
        )

    async def _ask_event(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        await self.ask(
            message_id=str(body.get("event_id") or f"{event['channel']}:{event['ts']}"),
            user=str(event.get("user", "")),
            text=str(event.get("text", "")),
            channel=str(event["channel"]),
            thread_ts=str(event.get("thread_ts") or event["ts"]),
        )

    async def collar(self, user_id: str) -> str | None:
        """The officer's collar number; a member of an officer group is known by their id."""
        found = self.roster.collar(user_id)
        if found is None and await self.groups.contains(user_id):
            return user_id
        return found

    async def ask(
        self, *, message_id: str, user: str, text: str, channel: str, thread_ts: str | None
    ) -> None:
        question = ChatQuestion(
            channel=Channel.SLACK,
            message_id=message_id,
            user_id=user,
            text=text,
            thread_key=f"{channel}:{thread_ts}" if thread_ts else None,
            officer=await self.collar(user),
        )
        try:
            answer = await self.desk.answer(question)
        except EnquiryDeskError:
            log.exception("chat question failed", extra={"message_id": message_id})
            await _ephemeral(
                self.client, channel=channel, user=user, text=FAILED, thread_ts=thread_ts
            )
            return
        if answer is None:
            return
        posted: str | None = None
        try:
            if _is_direct(channel):
                posted = await _post(
                    self.client, channel=channel, thread_ts=thread_ts, text=escape(answer.text)
                )
            else:
                # In a channel, others can read the thread, and not all of them need be
                # officers: only the one who asked sees the answer.
                posted = await _ephemeral(
                    self.client,
                    channel=channel,
                    user=user,
                    text=escape(answer.text),
                    thread_ts=thread_ts,
                )
        finally:  # posted or not, the question's link to its record is kept
            await self.desk.record_reply(
                question, answer, posted_id=None if posted is None else f"{channel}:{posted}"
            )


# The clerk's text from a modal, acted on: (the card's reference, the clerk, the text).
ModalAct = Callable[[CardRef, str, str], Awaitable[ActionResult]]


@dataclass
class ClerkListeners:
    """The draft card's buttons and modals; only clerks may use them."""

    client: AsyncWebClient
    roster: Roster
    clerks: ClerkActions

    async def on_approve(self, ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        user, channel, ts, ref = _action_parts(body)
        if ref is None or await self._refuse_non_clerk(user, channel):
            return
        result = await self.clerks.approve(ref.draft_id, ref.version, f"slack:{user}")
        await self._show(
            channel, ts, result, f"Approved by <@{user}>; the reply is queued to send."
        )
        if not result.done and channel:
            await _ephemeral(self.client, channel=channel, user=user, text=result.message)

    async def on_edit(self, ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        await self._open_modal(body, edit_modal)

    async def on_reject(self, ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        await self._open_modal(body, reject_modal)

    async def on_edit_saved(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        async def act(ref: CardRef, user: str, text: str) -> ActionResult:
            return await self.clerks.edit(ref.draft_id, ref.version, f"slack:{user}", text)

        await self._submitted(ack, body, view, BODY_BLOCK, BODY_INPUT, act, "Edited by <@{user}>.")

    async def on_reject_saved(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        async def act(ref: CardRef, user: str, text: str) -> ActionResult:
            return await self.clerks.reject(ref.draft_id, ref.version, f"slack:{user}", text)

        await self._submitted(
            ack,
            body,
            view,
            REASON_BLOCK,
            REASON_INPUT,
            act,
            "Rejected by <@{user}>; nothing will be sent.",
        )

    async def _refuse_non_clerk(self, user: str, channel: str | None) -> bool:
        if self.roster.is_clerk(user):
            return False
        log.info("non-clerk pressed a draft button", extra={"user": user})
        if channel:
            await _ephemeral(self.client, channel=channel, user=user, text=NOT_A_CLERK)
        return True

    async def _show(
        self, channel: str | None, ts: str | None, result: ActionResult, note: str
    ) -> None:
        """Bring the card up to date; `note` says who acted, when the draft changed."""
        if result.card is None or not channel or not ts:
            return
        try:
            await self.client.chat_update(
                channel=channel,
                ts=ts,
                text=draft_summary(result.card),
                blocks=draft_blocks(result.card, note=note if result.changed else None),
            )
        except SlackApiError as exc:
            log.warning("cannot update the draft card", extra={"error": _code(exc)})

    async def _open_modal(self, body: dict[str, Any], build: Callable[..., dict[str, Any]]) -> None:
        user, channel, ts, ref = _action_parts(body)
        if ref is None or await self._refuse_non_clerk(user, channel):
            return
        card = await self.clerks.card(ref.draft_id)
        problem = _why_no_modal(card, ref, editing=build is edit_modal)
        if problem is not None:
            await self._show(channel, ts, ActionResult(problem, card), "")
            if channel:
                await _ephemeral(self.client, channel=channel, user=user, text=problem)
            return
        view = build(card, CardRef(card.draft_id, card.version, channel, ts))
        try:
            await self.client.views_open(trigger_id=str(body.get("trigger_id", "")), view=view)
        except SlackApiError as exc:
            log.warning("cannot open the modal", extra={"error": _code(exc)})

    async def _submitted(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        block: str,
        field: str,
        act: ModalAct,
        note: str,
    ) -> None:
        user = str((body.get("user") or {}).get("id", ""))
        ref = CardRef.loads(str(view.get("private_metadata", "")))  # checked by the matcher
        if not self.roster.is_clerk(user):
            await ack(response_action="errors", errors={block: NOT_A_CLERK})
            return
        value = (((view.get("state") or {}).get("values") or {}).get(block) or {}).get(field) or {}
        text = str(value.get("value") or "")
        if not text.strip():
            await ack(response_action="errors", errors={block: "Please fill this in."})
            return
        result = await act(ref, user, text)
        if not result.done:
            await ack(response_action="errors", errors={block: result.message})
        else:
            await ack()
        await self._show(ref.channel, ref.ts, result, note.format(user=user))


def _why_no_modal(card: DraftCard, ref: CardRef, *, editing: bool) -> str | None:
    """Why the card's Edit or Reject cannot open its modal, or None when it can."""
    if not card.is_open:
        return f"This draft is already {card.state}."
    if card.version != ref.version:
        return "This draft was changed since it was posted; the card now shows it."
    if editing and len(card.body) > INPUT_LIMIT:
        return "This draft is too long to edit in Slack; edit it on the review desk."
    return None


async def _on_error(error: Exception, body: dict[str, Any]) -> None:
    # Ids only: the body holds what people wrote.
    log.error(
        "slack handler failed",
        extra={
            "error": type(error).__name__,
            "type": body.get("type"),
            "event_id": body.get("event_id"),
        },
    )


async def _well_formed_action(body: dict[str, Any]) -> bool:
    """A press we can act on: who pressed, on which card. Anything else stays unhandled,
    which Bolt answers with an error status and logs."""
    user, channel, ts, ref = _action_parts(body)
    return bool(user and channel and ts and ref is not None)


async def _well_formed_view(body: dict[str, Any]) -> bool:
    view = body.get("view") or {}
    try:
        CardRef.loads(str(view.get("private_metadata", "")))
    except ValueError:
        log.warning("a draft form carried no draft")
        return False
    return bool((body.get("user") or {}).get("id"))


def _action_parts(body: dict[str, Any]) -> tuple[str, str | None, str | None, CardRef | None]:
    user = str((body.get("user") or {}).get("id", ""))
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    actions = body.get("actions") or [{}]
    try:
        ref: CardRef | None = CardRef.loads(str(actions[0].get("value", "")))
    except ValueError:
        log.warning("a draft button carried no draft", extra={"user": user})
        ref = None
    return user, channel, ts, ref


async def _post(
    client: AsyncWebClient, *, channel: str, thread_ts: str | None, text: str
) -> str | None:
    """Post in the thread; the new message's ts, or None when Slack refused."""
    try:
        reply = await client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
    except SlackApiError as exc:
        log.warning("cannot post the answer", extra={"error": _code(exc)})
        return None
    return str(reply.get("ts"))


async def _ephemeral(
    client: AsyncWebClient, *, channel: str, user: str, text: str, thread_ts: str | None = None
) -> str | None:
    """Post a message only `user` sees (in the thread when given); its ts, or None."""
    try:
        reply = await client.chat_postEphemeral(
            channel=channel, user=user, text=text, thread_ts=thread_ts
        )
    except SlackApiError as exc:
        log.warning("cannot post an ephemeral message", extra={"error": _code(exc)})
        return None
    return str(reply.get("message_ts"))


def _is_direct(channel: str) -> bool:
    """Whether a Slack conversation id is a direct message with the bot (ids of direct
    messages begin with D; channels, private ones and group messages with C or G)."""
    return channel.startswith("D")


@dataclass
class SlackOfficerNotice:
    """Tells an officer in the case of a status change by direct message, and logs it."""

    client: AsyncWebClient
    roster: Roster
    engine: Engine
    clock: Callable[[], datetime]

    async def post(self, collar: str, record_id: int, text: str) -> int:
        sent = 0
        for user in self.roster.users_with_collar(collar):
            try:
                # A user id as the channel: Slack posts in the app's direct messages.
                reply = await self.client.chat_postMessage(channel=user, text=escape(text))
            except SlackApiError as exc:
                log.warning(
                    "cannot tell the officer", extra={"record_id": record_id, "code": _code(exc)}
                )
                continue
            contact = NewContact(
                channel=Channel.SLACK,
                direction="out",
                channel_message_id=f"{reply.get('channel')}:{reply.get('ts')}",
                party=user,
                received_at=self.clock(),
                text=text,
                record_id=record_id,
            )
            await asyncio.to_thread(log_contact, self.engine, contact, now=self.clock())
            log.info("officer told of a status change", extra={"record_id": record_id})
            sent += 1
        return sent


@dataclass
class SlackDraftPoster:
    """Posts a new public draft's card to the clerks' channel."""

    client: AsyncWebClient
    clerks: ClerkActions
    channel: str

    async def post(self, draft_id: int) -> str | None:
        """Post one draft's card; the message ts, or None on failure (logged)."""
        try:
            card = await self.clerks.card(draft_id)
            reply = await self.client.chat_postMessage(
                channel=self.channel, text=draft_summary(card), blocks=draft_blocks(card)
            )
        except SlackApiError as exc:
            log.warning("cannot post a draft", extra={"draft_id": draft_id, "error": _code(exc)})
            return None
        except EnquiryDeskError:
            log.exception("cannot read a draft to post", extra={"draft_id": draft_id})
            return None
        return str(reply.get("ts"))
