"""What the forum API takes and answers (docs/domain.md, "Forum"). Nothing here
names a voter or a contact: a project shows its tally, never who voted, and its
author is not shown either."""

from rest_framework import serializers

from ..shapes import geojson


class ForumRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    votes_per_person = serializers.IntegerField(allow_null=True)
    own_project_votes = serializers.BooleanField()
    winners_chosen_at = serializers.DateTimeField(allow_null=True)


class ForumProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    title = serializers.CharField()
    description = serializers.CharField()
    budget = serializers.IntegerField(help_text="Rubles.")
    state = serializers.CharField()
    votes = serializers.IntegerField(source="vote_count")
    territory = serializers.CharField(
        source="territory.name", allow_null=True, default=None
    )
    council = serializers.CharField(
        source="council.name", allow_null=True, default=None
    )
    point = serializers.SerializerMethodField()
    area = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_point(self, row) -> dict:
        return geojson(row.geom)

    def get_area(self, row) -> dict | None:
        return geojson(row.area)

    def get_url(self, row) -> str:
        return f"/forum/projects/{row.pk}/"


class ForumProjectDetailSerializer(ForumProjectSerializer):
    reason = serializers.SerializerMethodField(
        help_text="Why it was rejected: to its author and specialists only."
    )
    voted = serializers.SerializerMethodField(
        help_text="Whether the account asking has voted for it."
    )

    def get_reason(self, row) -> str | None:
        return self.context.get("reason")

    photos = serializers.SerializerMethodField()

    def get_voted(self, row) -> bool:
        return bool(self.context.get("voted"))

    def get_photos(self, row) -> list[str]:
        return [photo.image.url for photo in row.photos.all()]


class ForumProjectInputSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    budget = serializers.IntegerField(min_value=1, help_text="Rubles, more than 0.")
    geometry = serializers.JSONField(
        help_text="GeoJSON Point, Polygon or MultiPolygon (EPSG:4326) in the district."
    )
    territory = serializers.IntegerField(required=False, allow_null=True)
    council = serializers.IntegerField(required=False, allow_null=True)


class ForumModerationSerializer(serializers.Serializer):
    decision = serializers.CharField(help_text="approve or reject.")
    reason = serializers.CharField(required=False, help_text="Needed to reject.")


class ForumTallySerializer(serializers.Serializer):
    project = serializers.IntegerField()
    votes = serializers.IntegerField()
    voted = serializers.BooleanField()


class ForumWinnersSerializer(serializers.Serializer):
    projects = serializers.ListField(child=serializers.IntegerField())
    responsible = serializers.CharField(required=False)


class ForumImplementationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    title = serializers.CharField(source="project.title")
    status = serializers.CharField()
    budget = serializers.IntegerField()
    responsible = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    point = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField(
        help_text="{stage: before|after, url} of each photo."
    )

    def get_point(self, row) -> dict:
        return geojson(row.geom)

    def get_photos(self, row) -> list[dict]:
        return [{"stage": p.stage, "url": p.image.url} for p in row.photos.all()]


class ForumImplementationInputSerializer(serializers.Serializer):
    status = serializers.CharField(
        required=False, help_text="planned, in_progress or done; never backwards."
    )
    started_on = serializers.DateField(required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True)
    responsible = serializers.CharField(required=False)
    budget = serializers.IntegerField(required=False, min_value=1)


class ForumFollowSerializer(serializers.Serializer):
    email = serializers.EmailField()


class ForumFollowedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ForumPhotosRequestSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(),
        help_text="JPEG, PNG or WebP; at most FORUM_MAX_PHOTOS in all.",
    )
    stage = serializers.CharField(
        required=False, help_text="Implementation photos: before or after."
    )


class ForumPhotoSerializer(serializers.Serializer):
    url = serializers.CharField(source="image.url")
    stage = serializers.CharField(required=False)
