"""Teams with the Microsoft 365 Agents SDK: officers' questions and clerks' cards.

`/api/messages` on the one web server receives activities. Every request's JWT is
validated against Microsoft's keys (`TEAMS_APP_ID`, `TEAMS_TENANT_ID`); replies go to
the activity's `serviceUrl`, or to `TEAMS_CONNECTOR_URL` when set (a proxy in a force
network, or a test's loopback connector).

`TeamsSetup` is what the settings give before the pipeline is built (connections, roster,
the clerks' card poster); `TeamsSetup.routes` is the agent over the officer desk, after.

Anonymous mode, needed to test without Microsoft, exists only as a keyword of
`TeamsSetup.from_settings` that no setting reaches, and it refuses any connector that is
not on loopback: it cannot be switched on by accident in a real run.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    CardFactory,
    ClaimsIdentity,
    MemoryStorage,
    MessageFactory,
    OutboundHostValidator,
    RestChannelServiceClientFactory,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.authorization import AuthTypes, JwtTokenValidator
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient
from microsoft_agents.hosting.fastapi import CloudAdapter

from bot.chat.clerk_actions import ActionResult, ClerkActions
from bot.chat.officer_desk import ChatQuestion, OfficerDesk
from bot.chat.roster import Roster, parse_roster
from bot.chat.teams_cards import APPROVE, EDIT, REJECT, VERB, draft_card
from bot.settings import Settings
from lookup.channels import Channel
from lookup.errors import EnquiryDeskError

log = logging.getLogger(__name__)

PATH = "/api/messages"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
NOT_A_CLERK = "Only clerks of the ticket office can act on drafts."
FAILED = "Sorry, I could not do that just now. Please try again in a minute."
ASK_PRIVATELY = (
    "Case details are only given in a private chat with me, as others can read this"
    " conversation. Please send me your question there."
)
_AT = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


class TeamsSetupError(EnquiryDeskError):
    """The Teams settings cannot make a safe adapter."""


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _ConnectorFactory(RestChannelServiceClientFactory):
    """The SDK's factory, sending to `TEAMS_CONNECTOR_URL` instead when it is set."""

    def __init__(self, connections: MsalConnectionManager, connector_url: str | None) -> None:
        super().__init__(connections)
        self._connector_url = connector_url

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        return await super().create_connector_client(
            context,
            claims_identity,
            self._connector_url or service_url,
            audience,
            scopes,
            use_anonymous,
        )


def _user_ids(activity: Activity) -> tuple[str, ...]:
    who = activity.from_property
    if who is None:
        return ()
    return tuple(i for i in (who.aad_object_id, who.id) if i)


def _officer(roster: Roster, activity: Activity) -> str | None:
    for user in _user_ids(activity):
        collar = roster.collar(user)
        if collar is not None:
            return collar
    return None


def _is_clerk(roster: Roster, activity: Activity) -> bool:
    return any(roster.is_clerk(user) for user in _user_ids(activity))


@dataclass
class TeamsDraftPoster:
    """Posts each new public draft's card to the clerks' Teams conversation."""

    connections: MsalConnectionManager
    clerks: ClerkActions
    service_url: str
    conversation_id: str
    anonymous: bool

    async def post(self, draft_id: int) -> str | None:
        try:
            card = await self.clerks.card(draft_id)
            token = ""
            if not self.anonymous:
                provider = self.connections.get_default_connection()
                token = await provider.get_access_token(
                    "https://api.botframework.com", [BOT_FRAMEWORK_SCOPE]
                )
            activity = MessageFactory.attachment(CardFactory.adaptive_card(draft_card(card)))
            client = TeamsConnectorClient(endpoint=self.service_url, token=token)
            try:
                sent = await client.conversations.send_to_conversation(
                    self.conversation_id, activity
                )
            finally:
                await client.close()
        except EnquiryDeskError:
            log.exception("cannot read a draft to post", extra={"draft_id": draft_id})
            return None
        except Exception as exc:  # the connector is remote: log and keep the draft for the desk
            log.warning(
                "cannot post a draft to Teams",
                extra={"draft_id": draft_id, "error": type(exc).__name__},
            )
            return None
        return str(sent.id) if sent is not None else None


def build_teams_agent(
    *, connections: MsalConnectionManager, roster: Roster, desk: OfficerDesk, clerks: ClerkActions
) -> AgentApplication[TurnState]:
    agent = AgentApplication[TurnState](
        storage=MemoryStorage(),
        connection_manager=connections,
        start_typing_timer=False,
        remove_recipient_mention=True,
    )

    async def act(context: TurnContext, data: dict[str, Any]) -> None:
        activity = context.activity
        if not _is_clerk(roster, activity):
            log.info("non-clerk pressed a draft button")
            await context.send_activity(NOT_A_CLERK)
            return
        try:
            draft_id, version = int(data["d"]), int(data["v"])
        except (KeyError, TypeError, ValueError):
            log.warning("a draft card submit carried no draft")
            await context.send_activity("That card is not from Enquiry Desk.")
            return
        actor = "teams:" + _user_ids(activity)[0]
        verb = data.get(VERB)
        result: ActionResult
        if verb == APPROVE:
            result = await clerks.approve(draft_id, version, actor)
            note = "Approved; the reply is queued to send."
        elif verb == EDIT and str(data.get("body") or "").strip():
            result = await clerks.edit(draft_id, version, actor, str(data["body"]))
            note = "Edited."
        elif verb == REJECT and str(data.get("reason") or "").strip():
            result = await clerks.reject(draft_id, version, actor, str(data["reason"]))
            note = "Rejected; nothing will be sent."
        else:
            await context.send_activity("Please fill in the text first.")
            return
        name = activity.from_property.name if activity.from_property else None
        if result.card is not None and activity.reply_to_id:
            updated = MessageFactory.attachment(
                CardFactory.adaptive_card(
                    draft_card(
                        result.card,
                        note=f"{note} ({name or 'a clerk'})" if result.changed else None,
                    )
                )
            )
            updated.id = activity.reply_to_id
            updated.conversation = activity.conversation
            try:
                await context.update_activity(updated)
            except Exception as exc:  # the card stays as it was; the clerk still gets the answer
                log.warning("cannot update the draft card", extra={"error": type(exc).__name__})
        await context.send_activity(result.message)

    async def ask(context: TurnContext) -> None:
        activity = context.activity
        users = _user_ids(activity)
        conversation = activity.conversation.id if activity.conversation else ""
        # A bot's reply in a channel or group chat is read by everyone in it, and Teams
        # has no message for one person only: case details go only into a personal chat.
        kind = activity.conversation.conversation_type if activity.conversation else None
        officer = _officer(roster, activity)
        shared = officer is not None and kind is not None and kind != "personal"
        question = ChatQuestion(
            channel=Channel.TEAMS,
            message_id=str(activity.id or ""),
            user_id=users[0] if users else "",
            text=_AT.sub(" ", activity.text or ""),
            thread_key=conversation or None,
            officer=officer,
            withheld=f"asked in a Teams {kind}, which others can read" if shared else None,
        )
        try:
            answer = await desk.answer(question)
        except EnquiryDeskError:
            log.exception("chat question failed", extra={"message_id": question.message_id})
            await context.send_activity(FAILED)
            return
        if shared:
            await context.send_activity(ASK_PRIVATELY)
            return
        if answer is None:
            return
        posted: str | None = None
        try:
            sent = await context.send_activity(answer.text)
            posted = f"{conversation}:{sent.id}"
        finally:  # sent or not, the question's link to its record is kept
            await desk.record_reply(question, answer, posted_id=posted)

    @agent.activity(ActivityTypes.message)
    async def on_message(context: TurnContext, _state: TurnState) -> None:
        value = context.activity.value
        if isinstance(value, dict) and VERB in value:
            await act(context, value)
        elif context.activity.text:
            await ask(context)

    @agent.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        log.error("teams turn failed", extra={"error": type(error).__name__})

    return agent


def _connections(settings: Settings) -> MsalConnectionManager:
    password = (
        settings.teams_app_password.get_secret_value() if settings.teams_app_password else None
    )
    config = AgentAuthConfiguration(
        auth_type=AuthTypes.client_secret,
        client_id=settings.teams_app_id,
        tenant_id=settings.teams_tenant_id,
        client_secret=password,
    )
    return MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})


@dataclass(frozen=True, slots=True)
class TeamsSetup:
    """What the Teams settings give before the pipeline is built: the connections, the
    roster and where the clerks' cards go, checked to be safe."""

    settings: Settings
    connections: MsalConnectionManager
    roster: Roster
    anonymous_for_tests: bool

    @classmethod
    def from_settings(cls, settings: Settings, *, anonymous_for_tests: bool = False) -> TeamsSetup:
        connector_url = settings.teams_connector_url
        if anonymous_for_tests and not (connector_url and is_loopback(connector_url)):
            raise TeamsSetupError(
                "anonymous Teams is for tests only: it needs a loopback connector"
            )
        if not anonymous_for_tests and not settings.teams_app_password:
            raise TeamsSetupError("ENQUIRY_DESK_TEAMS_APP_PASSWORD is needed with TEAMS_APP_ID")
        return cls(
            settings=settings,
            connections=_connections(settings),
            roster=parse_roster(settings.teams_officers, settings.teams_clerks),
            anonymous_for_tests=anonymous_for_tests,
        )

    def draft_poster(self, clerks: ClerkActions) -> TeamsDraftPoster | None:
        """Posts new drafts' cards to the clerks' conversation, when one is set."""
        conversation = self.settings.teams_clerk_conversation
        if not conversation:
            return None
        return TeamsDraftPoster(
            self.connections,
            clerks,
            self.settings.teams_connector_url or self.settings.teams_service_url,
            conversation,
            self.anonymous_for_tests,
        )

    def routes(self, desk: OfficerDesk, clerks: ClerkActions) -> APIRouter:
        """`/api/messages`, answered by the agent over the officer desk."""
        settings, anonymous = self.settings, self.anonymous_for_tests
        connector_url = settings.teams_connector_url
        auth = AgentAuthConfiguration(
            auth_type=AuthTypes.client_secret,
            client_id=settings.teams_app_id,
            tenant_id=settings.teams_tenant_id,
            anonymous_allowed=anonymous,
        )
        validator = JwtTokenValidator(auth)
        if anonymous:
            # Every reply goes to the loopback connector (checked above), whatever the
            # activity's serviceUrl says; the SDK's validator only admits https hosts.
            hosts = OutboundHostValidator(enabled=False)
        else:
            extra = [urlsplit(connector_url).hostname or ""] if connector_url else []
            hosts = OutboundHostValidator(extra or None, enabled=True)
        adapter = CloudAdapter(
            channel_service_client_factory=_ConnectorFactory(self.connections, connector_url),
            host_validator=hosts,
        )

        async def on_turn_error(context: TurnContext, error: Exception) -> None:
            # The SDK's default sends the exception text to the user; ours says nothing inside.
            log.error("teams adapter error", extra={"error": type(error).__name__})
            await context.send_activity(FAILED)

        adapter.on_turn_error = on_turn_error
        agent = build_teams_agent(
            connections=self.connections, roster=self.roster, desk=desk, clerks=clerks
        )
        routes = APIRouter()

        @routes.post(PATH, include_in_schema=False)
        async def teams_messages(request: Request) -> Response:
            header = request.headers.get("Authorization")
            if header:
                scheme, _, token = header.partition(" ")
                if scheme.lower() != "bearer" or not token:
                    return JSONResponse({"error": "unauthorized"}, status_code=401)
                try:
                    claims = await validator.validate_token(token)
                except Exception as exc:  # PyJWT and key-fetch errors alike: refuse the request
                    log.warning("teams token refused", extra={"error": type(exc).__name__})
                    return JSONResponse({"error": "unauthorized"}, status_code=401)
            elif anonymous:
                claims = validator.get_anonymous_claims()
            else:
                return JSONResponse({"error": "unauthorized"}, status_code=401)
            request.state.claims_identity = claims
            try:
                response = await adapter.process(request, agent)
            except Exception as exc:  # an activity the SDK cannot read
                log.warning("unreadable teams activity", extra={"error": type(exc).__name__})
                return JSONResponse({"error": "bad activity"}, status_code=400)
            return response or Response(status_code=202)

        return routes
