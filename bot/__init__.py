"""The running assistant, the top of the import graph: the pipeline that takes each
enquiry through log, match and draft (`pipeline`), the chat adapters (`chat/`), the
clerks' review desk (`desk/`), the clerk actions that desk, chat and command line share
(`clerk_actions`), the runtime that runs mailbox, outbox and web server (`runtime`),
all assembled once at start (`assemble`), and the command line (`cli`)."""
