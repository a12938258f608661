"""`{% demo_note %}`: the demo notice (territories/registry/demo, DEMO_NOTICE) on any
page that shows demo rows, only while the demo is loaded — demo data says so where
users see it."""

from django import template

from territories.registry.demo import demo_is_loaded, demo_notice

register = template.Library()


@register.inclusion_tag("registry/demo_note.html")
def demo_note():
    return {"notice": demo_notice() if demo_is_loaded() else ""}
