"""Writes for asking friends: rounds and their personal links (``invitations``), a friend's
answers (``answers``), and adopting what friends said (``adoption``)."""
