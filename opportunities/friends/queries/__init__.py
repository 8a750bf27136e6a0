"""Reads for asking friends: the owner's rounds and results (``owner``), what a link
shares with the friend holding it (``shared``), and what friends had said by a given time,
frozen with checkpoints (``frozen``)."""
