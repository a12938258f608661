from rest_framework import serializers
from rest_framework.response import Response


class LayerSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.DictField(child=serializers.CharField(), help_text="ru, en")
    geometry_type = serializers.CharField()
    count = serializers.IntegerField()
    extent = serializers.ListField(
        child=serializers.FloatField(),
        allow_null=True,
        help_text="minlon, minlat, maxlon, maxlat (EPSG:4326)",
    )
    filters = serializers.DictField(child=serializers.CharField())
    bound = serializers.DictField(
        allow_null=True,
        help_text=(
            "How /api/layers/{name}/ bounds the layer (docs/architecture.md, "
            "«Bounded layers»): limit, cluster_below, default, asks; null: unbounded"
        ),
    )
    url = serializers.URLField()
    tilejson = serializers.URLField(help_text="TileJSON of its vector tiles")
    map_tiles = serializers.BooleanField(
        help_text="The site's map draws it from its vector tiles, not GeoJSON"
    )


class ErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The query parameter or field refused.")
    error = serializers.CharField(help_text="Why, in the request's language.")


def error(field, message, status):
    """A refusal as the response ErrorSerializer describes."""
    return Response({"field": field, "error": str(message)}, status=status)
