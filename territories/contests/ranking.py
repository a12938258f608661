"""The ranking of a season, computed in PostgreSQL (docs/domain.md, "Contests",
"Ranking and ties").

A sheet is one juror's scores of one entry, one per criterion. Its score is the
weighted mean of the criteria's scores, each as a share of the criterion's maximum,
× 100: Σ wᵢ·(vᵢ/maxᵢ) / Σ wᵢ × 100. An entry's score is the mean of its complete
sheets (every criterion of the season scored). Within a nomination, entries are
ordered by (1) that score, higher first; (2) the mean share on the heaviest
criteria (those of the season's greatest weight), higher first; (3) the earlier
application (created_at, then id) — ROW_NUMBER over that order gives every entry a
distinct place. Only approved entries with at least one complete sheet are placed."""

from django.db import connection

RANKING_SQL = """
WITH criteria AS (
    SELECT id, weight, max_score,
           weight = MAX(weight) OVER () AS heaviest,
           COUNT(*) OVER () AS how_many
    FROM contests_criterion WHERE season_id = %(season)s
),
sheets AS (
    SELECT s.juror_id, s.entry_id,
           SUM(c.weight * s.value / c.max_score) / SUM(c.weight) * 100 AS score,
           AVG(s.value / c.max_score) FILTER (WHERE c.heaviest) * 100 AS heavy
    FROM contests_score s
    JOIN criteria c ON c.id = s.criterion_id
    GROUP BY s.juror_id, s.entry_id
    HAVING COUNT(*) = MAX(c.how_many)
),
scored AS (
    SELECT e.id AS entry_id, e.nomination_id, e.created_at,
           AVG(sh.score) AS score, AVG(sh.heavy) AS heavy
    FROM contests_entry e
    JOIN sheets sh ON sh.entry_id = e.id
    WHERE e.season_id = %(season)s AND e.state = 'approved'
    GROUP BY e.id
)
SELECT entry_id, nomination_id, ROUND(score, 3) AS score,
       ROW_NUMBER() OVER (
           PARTITION BY nomination_id
           ORDER BY score DESC, heavy DESC, created_at, entry_id
       ) AS rank
FROM scored
"""

PUBLISH_SQL = f"""
INSERT INTO contests_placing (entry_id, nomination_id, score, rank, winner)
SELECT entry_id, nomination_id, score, rank, rank <= %(winners)s
FROM ({RANKING_SQL}) AS ranking
"""


def ranking(season_id):
    """[(entry id, nomination id, score, rank)] of the season as it stands, ordered
    by nomination and rank. For the published ranking read `Placing` instead."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM ({RANKING_SQL}) AS r ORDER BY nomination_id, rank",
            {"season": season_id},
        )
        return cursor.fetchall()


def store_placings(season):
    """Write the season's placings (winners: the first `winners_per_nomination` of
    each nomination), in the caller's transaction; the number of rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            PUBLISH_SQL,
            {"season": season.pk, "winners": season.winners_per_nomination},
        )
        return cursor.rowcount
