"""What the boundaries API answers (docs/domain.md, "TOS boundaries"). Geometry is
GeoJSON in EPSG:4326 (RFC 7946); areas in m², computed in GIS_SRID."""

import json

from rest_framework import serializers

from .. import links


def geojson(geom):
    """A stored geometry (GIS_SRID) as a GeoJSON geometry object in EPSG:4326."""
    if geom is None:
        return None
    if geom.empty:
        return {"type": "MultiPolygon", "coordinates": []}
    return json.loads(geom.transform(4326, clone=True).geojson)


def person(user):
    return user.get_username() if user is not None else None


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    state = serializers.CharField()
    state_display = serializers.CharField(source="get_state_display")
    area_m2 = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_by = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    decision_number = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)
    comment = serializers.CharField()
    restored_from = serializers.SerializerMethodField()

    def get_area_m2(self, version) -> float:
        return round(version.area_m2, 1)

    def get_author(self, version) -> str | None:
        return person(version.author)

    def get_reviewed_by(self, version) -> str | None:
        return person(version.reviewed_by)

    def get_restored_from(self, version) -> int | None:
        return version.restored_from.number if version.restored_from_id else None


class VersionFeatureSerializer(serializers.Serializer):
    """A version as a GeoJSON Feature."""

    type = serializers.CharField(default="Feature", read_only=True)
    id = serializers.IntegerField(read_only=True)
    geometry = serializers.JSONField(read_only=True, help_text="GeoJSON (EPSG:4326)")
    properties = VersionSerializer(read_only=True)

    def to_representation(self, version):
        return {
            "type": "Feature",
            "id": version.number,
            "geometry": geojson(version.geom),
            "properties": VersionSerializer(version).data,
        }


class TerritorySerializer(serializers.Serializer):
    """A TOS with its approved boundary, and for those who may see it, the newest
    version when it is not the approved one (a draft, under review, returned)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    district = serializers.IntegerField(source="district_id")
    population_recorded = serializers.IntegerField(source="population")
    chair = serializers.CharField()
    area_m2 = serializers.SerializerMethodField()
    decision_number = serializers.CharField(source="decision_no")
    decision_date = serializers.DateField(allow_null=True)

    def get_area_m2(self, territory) -> float | None:
        return round(territory.area_m2, 1) if territory.area_m2 is not None else None

    def to_representation(self, territory):
        data = super().to_representation(territory)
        context = self.context
        newest = context["newest"].get(territory.pk)
        sees_drafts = context["sees_drafts"](territory)
        # The public sees only whether there is an approved boundary.
        data["state"] = "approved" if territory.geom is not None else None
        if newest is not None and sees_drafts:
            data["state"] = newest.state
        data["can_edit"] = context["can_edit"](territory)
        data["can_review"] = context["can_review"]
        data["links"] = {
            "page": links.territory_path(territory.pk),
            "history": links.history_path(territory.pk),
        }
        if context.get("with_geometry"):
            data["boundary"] = geojson(territory.geom)
            pending = newest and newest.state != newest.State.APPROVED
            data["draft"] = None
            if pending and sees_drafts:
                data["draft"] = VersionFeatureSerializer(newest).data
        return data


class ProposalSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Название нового ТОС")
    geometry = serializers.JSONField(
        help_text="GeoJSON Polygon/MultiPolygon (EPSG:4326)"
    )


class DecisionSerializer(serializers.Serializer):
    decision_number = serializers.CharField(help_text="Номер решения Думы")
    decision_date = serializers.DateField(help_text="Дата решения Думы, ГГГГ-ММ-ДД")


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="Что исправить")


class PreviewSerializer(serializers.Serializer):
    """The live check's answer."""

    valid = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)
    code = serializers.CharField(allow_null=True)
    location = serializers.JSONField(allow_null=True, help_text="GeoJSON Point")
    area_m2 = serializers.FloatField(allow_null=True)
    buildings = serializers.IntegerField(allow_null=True)
    residents = serializers.IntegerField(allow_null=True)
    overlaps = serializers.ListField(child=serializers.JSONField())
    snapped = serializers.ListField(child=serializers.JSONField())
    outside_district_m2 = serializers.FloatField(allow_null=True)
    can_submit = serializers.BooleanField()
    population_recorded = serializers.IntegerField(allow_null=True)


class AreaSerializer(serializers.Serializer):
    geometry = serializers.JSONField(help_text="GeoJSON MultiPolygon (EPSG:4326)")
    area_m2 = serializers.FloatField()


class CompareSerializer(serializers.Serializer):
    """What the newer version adds to the older and takes from it."""

    # "from" is a Python keyword: declared through the fields mapping.
    to = serializers.IntegerField()
    added = AreaSerializer()
    removed = AreaSerializer()

    def get_fields(self):
        return {"from": serializers.IntegerField(), **super().get_fields()}


class GeometryErrorSerializer(serializers.Serializer):
    """A refusal: the field at fault and why; for a geometry also what kind of fault
    (`code`) and where (`location`, a GeoJSON Point) when known."""

    field = serializers.CharField()
    error = serializers.CharField()
    code = serializers.CharField(required=False)
    location = serializers.JSONField(required=False)
