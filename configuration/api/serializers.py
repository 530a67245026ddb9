from rest_framework import serializers

from ..models import ConfigProperty


class EntrySerializer(serializers.Serializer):
    key = serializers.CharField()
    type = serializers.ChoiceField(choices=ConfigProperty.TYPES)
    secret = serializers.BooleanField()
    profile = serializers.CharField(help_text="The profile the value comes from (the requested one or 'default').")
    value = serializers.JSONField(help_text="Typed value; '******' for a secret the caller may not read.")


class ConfigurationSerializer(serializers.Serializer):
    application = serializers.CharField()
    profile = serializers.CharField()
    properties = serializers.DictField(child=serializers.JSONField())
    entries = EntrySerializer(many=True)
