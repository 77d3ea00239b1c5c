"""The published schedule for everyone (R8): the public page and its sessions view,
the print form for the stand and its PDF, the iCalendar feeds and the embed.

Modules (see README.md): `selectors`, `rows`, `print_pdf`, `calendar_feed`,
`audit`, `views`, `urls`.
"""
