"""The policy's own life: a new version is drafted by the hub admin, opened
for comment (the board, a named group, and optionally the public), decided by
the body the version IN FORCE names (its policy-approval route), and takes
effect from a date; the annual review and the board's review of the range of
partnerships are recorded decisions.

`models` holds the records (imported into hubs.models, so Django registers
them there), `rules` the one gate for each write, `services` the writes,
`selectors` the reads and `views` the pages.
"""
