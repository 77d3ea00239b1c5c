"""The schedule document and its approval (R8): the «График консультаций» of a
period, submitted, approved («УТВЕРЖДАЮ») and published; its board with the
conflicts; its versions and amendments.

Modules (see README.md): `services`, `amendments`, `versions`, `selectors`,
`board`, `conflicts`, `grid`, `time_zone`, `forms`, `views`, `urls`.
"""
