"""The `task-atlas` command line, above every other layer."""
