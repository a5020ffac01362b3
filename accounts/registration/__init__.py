"""Anyone may make an account to respond to a hub's call: an organisation's
contact or an individual practitioner. The account is a person; what they
speak for (their organisations, in each hub) is registered afterwards in
partners.registration."""
