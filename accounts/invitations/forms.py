"""The form someone without an account fills in to accept an invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from accounts.invitations.rules import password_refusal
from accounts.models import Invitation

User = get_user_model()


class NewAccountForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput,
        help_text="At least 12 characters, not a common password, not only numbers, "
        "and not like your name or email address.",
    )
    password_again = forms.CharField(
        label="Type the password again", strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        for name in ("first_name", "last_name"):
            self.fields[name].error_messages["required"] = f"Enter your {name.replace('_', ' ')}."
        self.fields["password"].error_messages["required"] = "Choose a password."
        self.fields["password_again"].error_messages["required"] = "Type the password again."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password = cleaned.get("password")
        if not password:
            return cleaned
        email = self.invitation.email
        would_be = User(
            username=email,
            email=email,
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )
        refusal = password_refusal(password=password, user=would_be)
        if refusal:
            self.add_error("password", refusal.message)
        elif cleaned.get("password_again") and cleaned["password_again"] != password:
            self.add_error("password_again", "The two passwords are not the same.")
        return cleaned
