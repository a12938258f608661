"""The public face of a report: no personal data ever (no contacts, no hashes, no
accounts); the name only when the reporter chose to show it; the name, description,
answers and photos only once a specialist has published the report."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..links import photo_path, report_path
from ..models import ProblemReport

Status = ProblemReport.Status


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PhotoSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class CategoryRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="Код нового статуса или пусто.")
    status_label = serializers.CharField(source="get_status_display")
    comment = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")


class ReportSerializer(serializers.Serializer):
    """A report for everyone; expects a `ReportQuerySet.for_display()` row."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="Страница сообщения.")
    category = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField(
        help_text="null, пока сообщение на модерации."
    )
    answers = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    support_count = serializers.IntegerField()
    reporter_name = serializers.CharField(
        source="public_name",
        help_text=(
            "Только если заявитель разрешил показывать и сообщение прошло "
            "модерацию; иначе пусто."
        ),
    )
    territory = serializers.SerializerMethodField()
    yard = serializers.SerializerMethodField()
    building = serializers.SerializerMethodField()
    duplicate_of = serializers.SerializerMethodField(
        help_text="Номер исходного сообщения для дубликата."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, report):
        return absolute(self.context.get("request"), report_path(report))

    @extend_schema_field(CategoryRefSerializer)
    def get_category(self, report):
        return {"code": report.category.code, "name": report.category.name}

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_lat(self, report):
        return round(report.point.y, 6)

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_lon(self, report):
        return round(report.point.x, 6)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_description(self, report):
        return report.description if report.is_published else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_answers(self, report):
        return report.answers if report.is_published else {}

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, report):
        if not report.is_published:
            return []
        request = self.context.get("request")
        return [
            {
                "url": absolute(request, photo_path(photo.pk)),
                "width": photo.width,
                "height": photo.height,
            }
            for photo in report.photos.all()
        ]

    @extend_schema_field(PlaceSerializer(allow_null=True))
    def get_territory(self, report):
        return _place(report.territory_id, report.territory_name)

    @extend_schema_field(PlaceSerializer(allow_null=True))
    def get_yard(self, report):
        return _place(report.yard_id, report.yard_name)

    @extend_schema_field(PlaceSerializer(allow_null=True))
    def get_building(self, report):
        name = report.building_address or f"#{report.building_id}"
        return _place(report.building_id, name)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_duplicate_of(self, report):
        return report.shown_original()


def _place(pk, name):
    return {"id": pk, "name": name} if pk else None


class ReportDetailSerializer(ReportSerializer):
    updates = TimelineEntrySerializer(many=True, help_text="Хроника, старое сначала.")


class ReportPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text=(
            "Сколько сообщений в списке; при count_capped=true — не меньше стольких "
            "(«1000+»): с фильтрами, кроме status и group, точное число не считается."
        )
    )
    count_capped = serializers.BooleanField(
        help_text="true: count — нижняя граница, сообщений больше."
    )
    next = serializers.URLField(
        allow_null=True, help_text="Следующая страница (параметр cursor)."
    )
    previous = serializers.URLField(
        allow_null=True, help_text="Предыдущая страница (параметр cursor)."
    )
    results = ReportSerializer(many=True)


class CreatedReportSerializer(ReportSerializer):
    manage_token = serializers.CharField(
        help_text="Секрет заявителя; показывается один раз."
    )
    manage_url = serializers.URLField(
        help_text="Ссылка заявителя: вновь открыть, удалить контакты."
    )


class NearbyReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    distance_m = serializers.FloatField()
    support_count = serializers.IntegerField()
    url = serializers.URLField()


class SupportResultSerializer(serializers.Serializer):
    support_count = serializers.IntegerField()
    counted = serializers.BooleanField(help_text="false — этот голос уже был учтён.")


class ReporterActionSerializer(serializers.Serializer):
    token = serializers.CharField(
        required=False, help_text="manage_token, если нет входа в учётную запись."
    )
    comment = serializers.CharField(required=False, max_length=4000)


class FollowSerializer(serializers.Serializer):
    email = serializers.EmailField()


class FollowResultSerializer(serializers.Serializer):
    following = serializers.BooleanField()
