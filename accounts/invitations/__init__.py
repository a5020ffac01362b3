"""Invitations to join a hub: services (inviting, resending, withdrawing,
accepting, and the one rule for each), the accepting page and its forms."""
