"""Running the portal from its own pages (issue 15.1): `services` writes, with the log; `views`,
`forms` and `urls` are the pages at /administration/."""
