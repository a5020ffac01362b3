"""The sign-in form: allauth's, saying why a correct password was refused
when a hub turned passwords off (accounts.sso_backends)."""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.core.exceptions import ValidationError

from accounts.sso_backends import REFUSAL_ATTRIBUTE


class LoginForm(AllauthLoginForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            refusal = getattr(self.request, REFUSAL_ATTRIBUTE, None)
            if refusal is not None:
                raise ValidationError(refusal.message, code=refusal.rule) from None
            raise
