"""``python -m kit bench``: named benchmarks that print numbers (filled in below)."""

HELP = "Run the kit's benchmarks and print the numbers."


def add_arguments(parser):
    parser.add_argument("names", nargs="*")


def run(args) -> int:
    print("no benchmarks yet")
    return 0
