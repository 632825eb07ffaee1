"""The masker's time on 10 KB, 1 MB and 10 MB of text: linear, or not.

Run: python benchmarks/masking.py [--runs N]. Prints, for each kind of
text, the median time of N runs at each size and the time per MB.

Kinds: an ordinary error body (JSON with a URL every 2 KB), a log of
debug lines dense with URLs and headers, and adversarial texts made of
one pattern's trigger repeated (``://u:p@``, secret key names, a
password in the port position).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from watcherclient_ext import secrets  # noqa: E402

SIZES = (10_000, 1_000_000, 10_000_000)
_ORDINARY = ('{"uuid": "6f1c0a2e-2d5b-4c6a-9f1e-0c2b7d4e8a91", "state": '
             '"FAILED", "status_message": "' + "x" * 1900 +
             ' see http://watcher.example:9322/v1/action_plans"}, ')
_DEBUG = ("REQ: curl -g -i -X GET http://u:s3cr3t@watcher:9322/v1/audits "
          "-H 'X-Auth-Token: {SHA256}abc' -d '{\"password\": \"pw\"}'\n")
KINDS = {
    "ordinary error body": _ORDINARY,
    "debug log lines": _DEBUG,
    "adversarial ://u:p@": "a://u:p@",
    "adversarial key names": "password=token:",
    "adversarial port password": "rabbit://g:S,",
}


def text_of(unit, size):
    return (unit * (size // len(unit) + 1))[:size]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    secrets.remember("a-remembered-secret")
    print(f"{'text':28} " + " ".join(f"{size:>10,}" for size in SIZES)
          + "   s/MB at 10 MB")
    for kind, unit in KINDS.items():
        medians = []
        for size in SIZES:
            text = text_of(unit, size)
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                secrets.mask(text)
                times.append(time.perf_counter() - started)
            medians.append(statistics.median(times))
        print(f"{kind:28} " + " ".join(f"{m:>9.4f}s" for m in medians)
              + f"   {medians[-1] / 10:.4f}")


if __name__ == "__main__":
    main()
