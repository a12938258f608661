"""Pages of TOS boundaries: being built on the `editor` branch; until it lands these
answer 404 so that the API's links resolve."""

from django.http import Http404


def territory_list(request):
    raise Http404


def territory_propose(request):
    raise Http404


def territory_page(request, pk):
    raise Http404


def territory_history(request, pk):
    raise Http404
