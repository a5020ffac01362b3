"""The OpenAPI document (drf-spectacular) says every answer an operation can
give: its own, and the errors every one shares (api.errors), so a client and
a schema checker know what a 401, 404 or 429 looks like."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    rule = serializers.CharField(allow_null=True, required=False)
    field = serializers.CharField(allow_null=True, required=False)


class RefusalSerializer(ErrorSerializer):
    problems = ErrorSerializer(many=True, required=False)


ERRORS = {
    "401": "No API key, or one unknown, revoked or expired.",
    "404": "Not in this token's hub, or not yours to see.",
    "429": "Too many requests for this token; wait and try again.",
}
WRITE_ERRORS = {
    "400": "Refused: what was sent (the rule and its words).",
    "403": "Refused: not yours to do.",
    "409": "Refused: not in a state for it (already done, or changed meanwhile).",
}


class HubSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = ERRORS if self.method == "GET" else {**ERRORS, **WRITE_ERRORS}
        for code, words in errors.items():
            if code not in responses:
                error = RefusalSerializer if code in WRITE_ERRORS else ErrorSerializer
                responses[code] = self._get_response_for_code(error, code, direction=direction)
                responses[code]["description"] = words
        return responses


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token a hub admin issued (admin, API tokens).",
        }
