from django import template

from .. import roles

register = template.Library()


@register.filter
def role_titles(user):
    """The account's roles as titles, in the request's language."""
    return [str(title) for title in roles.titles_of(user)]
