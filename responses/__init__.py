"""Intents, reply templates, drafts and their lifecycle rules, and the disclosure policy.

Pure: returns text and data, never calls a network. Filled in by the Responses issue.
"""
