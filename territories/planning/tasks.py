"""Background jobs of planning (docs/architecture.md, "Background jobs"): the greedy
plan of where to build next, and coverage or candidates too slow to answer at once
(docs/domain.md, "Coverage of grounds": slow analyses). The job carries the
`Analysis` id; its progress and result are written into that row (docs/domain.md,
"Where to build next")."""

from django.conf import settings
from django.utils import translation
from procrastinate.contrib.django import app


# Task names are fixed: queued rows name their task. No retries: the same data give
# the same failure, which is written into the analysis for the planner to see.
@app.task(name="planning.greedy_plan", queue="analyses")
def greedy_plan(analysis_id):
    from .services import siting

    with translation.override(settings.LANGUAGE_CODE):
        siting.run_plan(analysis_id)


@app.task(name="planning.coverage", queue="analyses")
def coverage(analysis_id):
    from .services import analyses
    from .services.coverage import computed

    with translation.override(settings.LANGUAGE_CODE):
        analyses.run(analysis_id, computed)


@app.task(name="planning.candidates", queue="analyses")
def candidates(analysis_id):
    from .services import analyses, siting

    with translation.override(settings.LANGUAGE_CODE):
        analyses.run(analysis_id, siting.computed_candidates)
