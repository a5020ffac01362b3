"""An organisation, or an individual practitioner, registers itself with a
hub: its profile (legal name, type, identifiers, address) and the person
registering as its contact. See rules.py for what is asked."""
