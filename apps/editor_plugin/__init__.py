"""The editor plug-in: a Word task-pane add-in (manifest and static pane) served by the gateway."""
