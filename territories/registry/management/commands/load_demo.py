import time

from django.core.management.base import BaseCommand, CommandError

from territories.registry.demo import district_has_territories, load_demo


class Command(BaseCommand):
    help = (
        "Load the Angarsk demo data set: real names and figures of the practice on "
        "illustrative geometry. Repeatable: rows are updated, never duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the district already has territories.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo's rows first (their ids change).",
        )

    def handle(self, *args, if_empty=False, reset=False, **options):
        if if_empty and reset:
            raise CommandError("--if-empty and --reset exclude each other.")
        if if_empty and district_has_territories():
            self.stdout.write("The district already has territories: nothing loaded.")
            return
        started = time.perf_counter()
        outcomes = load_demo(reset=reset)
        for name, o in outcomes.items():
            self.stdout.write(
                f"{name}: {o.total} ({o.created} new, {o.updated} changed, "
                f"{o.deleted} removed)"
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s."))
