"""What the accounts API takes and answers, for the OpenAPI schema."""

from rest_framework import serializers


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>`."
    )


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField(help_text="In the request's language.")


class AccountSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = RoleSerializer(many=True)
