"""A small OpenID Connect provider (django-oidc-provider) that the single
sign-on tests start on this machine: its own Django project, its own SQLite
file, its own port. `server.OIDCProvider` starts and stops it."""
