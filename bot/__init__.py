"""The running assistant: the command line, the service, and (as they land) the pipeline,
the chat adapters and the clerks' review desk. The top of the import graph."""
