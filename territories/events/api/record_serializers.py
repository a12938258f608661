"""What the results API answers: the event's public results (no registrant's
anything)."""

from rest_framework import serializers


class ResultsRequestSerializer(serializers.Serializer):
    participants = serializers.IntegerField(
        min_value=0, help_text="Whole number; at most EVENT_MAX_PARTICIPANTS."
    )
    outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Replaces the recorded outcome; left as it is when omitted.",
    )


class PhotosRequestSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(),
        help_text="JPEG, PNG or WebP; at most EVENT_PHOTOS_PER_REQUEST a request and "
        "EVENT_MAX_PHOTOS an event.",
    )


class TreeRequestSerializer(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    species = serializers.CharField(max_length=200)


class EventPhotoSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ResultsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    participants = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    recorded_at = serializers.DateTimeField(allow_null=True)
    photos = EventPhotoSerializer(many=True)
    trees_planted = serializers.IntegerField()


class AddedTreesSerializer(ResultsSerializer):
    added_trees = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the new trees (layer trees).",
    )


class FiguresSerializer(serializers.Serializer):
    events_held = serializers.IntegerField()
    participants = serializers.IntegerField()
    trees_planted = serializers.IntegerField()


class KindRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class TerritoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class YearRowSerializer(FiguresSerializer):
    year = serializers.IntegerField()


class KindRowSerializer(FiguresSerializer):
    kind = KindRefSerializer()


class TerritoryRowSerializer(FiguresSerializer):
    territory = TerritoryRefSerializer(
        allow_null=True, help_text="null: outside every TOS, organised by no TOS."
    )


class FiltersSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False)
    kind = serializers.CharField(required=False, help_text="The kind's code.")
    territory = serializers.IntegerField(required=False)


class IndicatorsSerializer(serializers.Serializer):
    filters = FiltersSerializer()
    totals = FiguresSerializer()
    by_year = YearRowSerializer(many=True)
    by_kind = KindRowSerializer(many=True)
    by_territory = TerritoryRowSerializer(many=True)
    time_zone = serializers.CharField(help_text="Years are counted in this zone.")
