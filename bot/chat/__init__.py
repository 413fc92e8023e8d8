"""Chat: officers ask case status in Slack or Teams; clerks approve drafts with buttons.

`mount_chat` puts the Slack (`/slack/events`, or Socket Mode) and Teams (`/api/messages`)
adapters on the one web server. Both share the roster of who may ask and who may act
(`roster`), the officer answering (`officer_desk`) and the clerks' actions on drafts
(`clerk_actions`); only the formatting (`slack_blocks`, `teams_cards`) differs.
"""
