"""What the contests API shows: never an account, a juror or a score before the
season is published (docs/domain.md, "Contests", "Secrecy")."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from geo.wgs84 import to_wgs84

from ..models import Criterion, Entry, Nomination, Season


class ContestNominationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nomination
        fields = ["id", "name", "for_councils", "for_territories", "for_residents"]


class ContestCriterionSerializer(serializers.ModelSerializer):
    weight = serializers.FloatField()

    class Meta:
        model = Criterion
        fields = ["id", "name", "weight", "max_score"]


class ContestSeasonSerializer(serializers.ModelSerializer):
    contest = serializers.CharField(source="contest.name")

    class Meta:
        model = Season
        fields = [
            "id",
            "contest",
            "year",
            "opens_at",
            "closes_at",
            "state",
            "winners_per_nomination",
            "tie_rule",
        ]


class ContestPlacingSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry_id")
    title = serializers.CharField(source="entry.title")
    nomination = serializers.IntegerField(source="nomination_id")
    score = serializers.FloatField()
    rank = serializers.IntegerField()
    winner = serializers.BooleanField()


class ContestSeasonDetailSerializer(ContestSeasonSerializer):
    nominations = ContestNominationSerializer(many=True)
    criteria = ContestCriterionSerializer(many=True)
    ranking = ContestPlacingSerializer(many=True, help_text="empty until published")

    class Meta(ContestSeasonSerializer.Meta):
        fields = [
            *ContestSeasonSerializer.Meta.fields,
            "nominations",
            "criteria",
            "ranking",
        ]


class ContestEntrySerializer(serializers.ModelSerializer):
    applicant = serializers.CharField(source="applicant_name")
    place = serializers.CharField(source="place_name")
    nomination = serializers.IntegerField(source="nomination_id")
    season = serializers.IntegerField(source="season_id")
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = [
            "id",
            "season",
            "nomination",
            "title",
            "description",
            "applicant_kind",
            "applicant",
            "place_kind",
            "place",
            "lon",
            "lat",
            "state",
            "created_at",
            "edited_at",
        ]

    def get_lon(self, entry) -> float:
        return round(to_wgs84(entry.geom).x, 6)

    def get_lat(self, entry) -> float:
        return round(to_wgs84(entry.geom).y, 6)


class ContestPhotoSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ContestEntryDetailSerializer(ContestEntrySerializer):
    photos = serializers.SerializerMethodField()
    rejection_reason = serializers.CharField()
    placing = ContestPlacingSerializer(
        source="public_placing", allow_null=True, help_text="null until published"
    )

    class Meta(ContestEntrySerializer.Meta):
        fields = [
            *ContestEntrySerializer.Meta.fields,
            "photos",
            "rejection_reason",
            "placing",
        ]

    @extend_schema_field(ContestPhotoSerializer(many=True))
    def get_photos(self, entry):
        return [
            {"url": p.image.url, "width": p.width, "height": p.height}
            for p in entry.photos.all()
        ]


class ContestEntryListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ContestEntrySerializer(many=True)


class ContestApplicationSerializer(serializers.Serializer):
    nomination = serializers.IntegerField()
    applicant_kind = serializers.ChoiceField(Entry.ApplicantKind.choices)
    council = serializers.IntegerField(required=False)
    tos = serializers.IntegerField(required=False)
    display_name = serializers.CharField(required=False, max_length=100)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False)
    place_kind = serializers.ChoiceField(Entry.PlaceKind.choices)
    place = serializers.IntegerField()


class ContestEditSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False)
    display_name = serializers.CharField(required=False, max_length=100)
    place_kind = serializers.ChoiceField(Entry.PlaceKind.choices, required=False)
    place = serializers.IntegerField(required=False)


class EntryPhotosRequestSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.ImageField())


class ContestModerationSerializer(serializers.Serializer):
    state = serializers.ChoiceField(["approved", "rejected"])
    reason = serializers.CharField(required=False)


class ContestSheetSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        help_text="{criterion id: score}, every criterion of the season",
    )


class ContestSheetAnswerSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    scored = serializers.IntegerField()


class ContestStateChangeSerializer(serializers.Serializer):
    to = serializers.ChoiceField(Season.State.choices)
    expected = serializers.ChoiceField(Season.State.choices, required=False)
