"""``python -m dashboard.spc``: the control-chart analysis on numbers from standard input, for
analysts who want the dashboard's limits and verdicts for figures of their own."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence

from dashboard.figures.spc import describe, xmr


def main(argv: Sequence[str] | None = None, stdin: object = None) -> int:
    """``python -m dashboard.spc --good lower|higher|neutral [--target T] [--json]``: numbers on
    standard input (spaces or new lines), the analysis on standard output."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.spc", description=main.__doc__)
    parser.add_argument("--good", choices=["higher", "lower", "neutral"], default="neutral",
                        help="which direction is better (neutral: neither)")
    parser.add_argument("--target", type=float, help="target, for the assurance verdict")
    parser.add_argument("--no-screen-outliers", action="store_true",
                        help="keep very large moving ranges in the limits (the reference screens them)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    text = (stdin or sys.stdin).read()  # type: ignore[attr-defined]
    try:
        values = [float(word) for word in text.split()]
        if not all(math.isfinite(v) for v in values):
            raise ValueError("every value must be a finite number")
        result = xmr(values, None if args.good == "neutral" else args.good, args.target,
                     screen_outliers=not args.no_screen_outliers)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    record = {"mean": result.mean, "lower": result.lower, "upper": result.upper,
              "special": list(result.special), "variation": result.variation,
              "assurance": result.assurance}
    print(json.dumps(record) if args.json else
          describe(result, "Series") + "\nSpecial-cause points (from 0): "
          + (", ".join(str(i) for i, s in enumerate(result.special) if s) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
