"""Reading the shared mailbox (IMAP, Maildir), cleaning mail, and sending over SMTP.

Filled in by the Mail issue.
"""
