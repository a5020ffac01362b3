from django.core.management.base import BaseCommand, CommandError

from agreements.benchmark import run


class Command(BaseCommand):
    help = "Render one typical partnership agreement as a PDF N times; print the mean time."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument(
            "--agreement", type=int, help="An agreement's id (default: a signed one)"
        )

    def handle(self, *args, runs: int, agreement: int | None = None, **options):
        try:
            result = run(runs, agreement)
        except LookupError as missing:
            raise CommandError(str(missing)) from missing
        self.stdout.write(
            f"{result.agreement}: {result.pages} pages, {result.size // 1024} KiB. "
            f"{result.runs} runs: mean {result.mean * 1000:.0f} ms, "
            f"fastest {result.fastest * 1000:.0f} ms, slowest {result.slowest * 1000:.0f} ms"
        )
