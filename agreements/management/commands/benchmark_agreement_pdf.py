from django.core.management.base import BaseCommand

from agreements.benchmark import run


class Command(BaseCommand):
    help = "Render one typical partnership agreement as a PDF N times; print the mean time."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs: int, **options):
        result = run(runs)
        self.stdout.write(
            f"Agreement PDF ({result.pages} pages, {result.size // 1024} KiB), {result.runs} runs: "
            f"mean {result.mean * 1000:.0f} ms, fastest {result.fastest * 1000:.0f} ms, "
            f"slowest {result.slowest * 1000:.0f} ms"
        )
