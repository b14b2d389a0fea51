"""Representations of catalogue data and menus in the Wagtail API (``api_fields``)."""

from rest_framework import serializers

from espace_prive.catalogue.models import Service, Site, TariffBand, TariffGrid

from .enums import Allergen, DishLabel


class CodeLabelListField(serializers.Field):
    """A list of choice codes as ``[{"code": …, "label": …}]``."""

    def __init__(self, choices_class, **kwargs):
        self.choices_class = choices_class
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        labels = dict(self.choices_class.choices)
        return [{"code": code, "label": labels.get(code, code)} for code in value or []]


class NewsCategorySerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


class ServiceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["public_id", "name", "slug", "kind"]


class ServiceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    unit_label = serializers.CharField(source="get_unit_display", read_only=True)

    class Meta:
        model = Service
        fields = [
            "public_id",
            "name",
            "slug",
            "kind",
            "kind_label",
            "unit",
            "unit_label",
            "summary",
        ]


class SiteRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["public_id", "name", "kind"]


class SiteSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Site
        fields = [
            "public_id",
            "name",
            "kind",
            "kind_label",
            "address",
            "postcode",
            "city",
            "phone",
            "email",
            "opening_hours",
            "contact_person",
        ]


class TariffBandSerializer(serializers.ModelSerializer):
    class Meta:
        model = TariffBand
        fields = ["qf_min", "qf_max", "price"]


class TariffGridSerializer(serializers.ModelSerializer):
    """A grid with its bands; prices are decimal strings ("3.20"), in euros."""

    service = ServiceRefSerializer(read_only=True)
    unit = serializers.CharField(source="service.unit", read_only=True)
    bands = TariffBandSerializer(many=True, read_only=True)

    class Meta:
        model = TariffGrid
        fields = [
            "service",
            "label",
            "valid_from",
            "valid_until",
            "unit",
            "non_resident_price",
            "no_qf_price",
            "bands",
        ]


class MenuGroupSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


class DishSerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    day = serializers.IntegerField(read_only=True)
    course = serializers.CharField(read_only=True)
    course_label = serializers.CharField(source="get_course_display", read_only=True)
    name = serializers.CharField(read_only=True)

    labels = CodeLabelListField(DishLabel)
    allergens = CodeLabelListField(Allergen)
