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


class CodeRequestSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=["email", "phone"])
    value = serializers.CharField(
        help_text="An e-mail address, or a Russian phone (+7…, 8…, 9XXXXXXXXX)."
    )


class CodeConfirmSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The six digits sent.")


class VerificationSerializer(serializers.Serializer):
    """The account's own contact: shown only to the account itself."""

    id = serializers.IntegerField()
    channel = serializers.CharField()
    value = serializers.CharField()
    expires_at = serializers.DateTimeField()
    verified_at = serializers.DateTimeField(allow_null=True)


class PersonSerializer(serializers.Serializer):
    person = serializers.BooleanField(
        help_text="Whether the account has a verified contact (may vote)."
    )
    contacts = VerificationSerializer(many=True)
