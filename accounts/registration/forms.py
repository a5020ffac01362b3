"""The form someone fills in to make an account for themself."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.invitations.rules import password_refusal
from accounts.registration.rules import would_be

CHOOSING_HINT = (
    "At least 12 characters, not a common password, not only numbers, and not like your "
    "name or email address."
)


class RegisterForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will email you a link to confirm it is yours.",
    )
    password = forms.CharField(
        label="Choose a password", strip=False, widget=forms.PasswordInput, help_text=CHOOSING_HINT
    )
    password_again = forms.CharField(
        label="Type the password again", strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, fixed_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_email = fixed_email
        if fixed_email:  # an invitation's address: the link reached it
            self.fields["email"].initial = fixed_email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = "The address your invitation was sent to."
        for name in ("first_name", "last_name"):
            self.fields[name].error_messages["required"] = f"Enter your {name.replace('_', ' ')}."
        self.fields["email"].error_messages |= {
            "required": "Enter your email address.",
            "invalid": "Enter an email address, like name@example.org.",
        }
        self.fields["password"].error_messages["required"] = "Choose a password."
        self.fields["password_again"].error_messages["required"] = "Type the password again."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password = cleaned.get("password")
        if not password or not cleaned.get("email"):
            return cleaned
        user = would_be(
            cleaned["email"], cleaned.get("first_name", ""), cleaned.get("last_name", "")
        )
        refusal = password_refusal(password=password, user=user)
        if refusal:
            self.add_error("password", refusal.message)
        elif cleaned.get("password_again") and cleaned["password_again"] != password:
            self.add_error("password_again", "The two passwords are not the same.")
        return cleaned
