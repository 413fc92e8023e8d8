"""Chat: officers ask case status in Slack or Teams; clerks approve drafts with buttons.

`wiring` builds the Slack (`/slack/events`, or Socket Mode: `slack_wiring`) and Teams
(`/api/messages`: `teams_wiring`) adapters for the one web server, in two steps: what the
settings give before the pipeline is built, then the adapters over it. Both share the
roster of who may ask and who may act (`roster`), the officer answering (`officer_desk`)
and the clerks' actions on drafts (`clerk_actions`); only the formatting (`slack_blocks`,
`teams_cards`) differs.
"""
