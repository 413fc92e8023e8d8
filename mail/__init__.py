"""Reading the shared mailbox (IMAP, Maildir), cleaning mail, and sending over SMTP.

- `parse.MailParser`: raw bytes to `lookup.enquiry.Enquiry`, never failing on bad input;
  `loop_guard.LoopGuard` flags mail that must not be answered; attachments are kept by
  `attachment_store.AttachmentStore`.
- `imap_source.ImapSource`, `maildir_source.MaildirSource`: hand each message to an
  `sources.EnquiryHandler` and move it on only once the handler has logged it.
- `outbox_sender.send_due`: one step of the outbox worker, through a
  `transport.Transport` (`SmtpTransport`, or `FileTransport` writing `.eml` files).
- `testing`: fakes that speak the same interfaces (`RecordingTransport`, `LoggingHandler`),
  for tests of code built on this package, as httpx ships `MockTransport`.
"""
