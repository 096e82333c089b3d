"""``python -m searchsvc.sample --port 8000``: serve the sample council until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import time

from .server import SampleSite


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m searchsvc.sample", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (same seed, same site)")
    parser.add_argument("--size", type=float, default=1.0, help="scale: 1.0 is about 700 meetings")
    parser.add_argument("--base-path", default="/democracy/", help="folder holding the .aspx pages")
    parser.add_argument("--webservice", action="store_true", help="also answer mgWebService.asmx")
    parser.add_argument("--printed", action="store_true",
                        help="one committee publishes its minutes only as printed PDFs (one meeting scanned)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    site = SampleSite(seed=args.seed, size=args.size, base_path=args.base_path, webservice=args.webservice,
                      port=args.port, printed=args.printed).start()
    stats = site.stats()
    print(f"Sample council: {stats['committees']} committees, {stats['meetings']} meetings, ~{stats['items']} items")
    print(f"Serving {site.url('mgListCommittees.aspx?bcr=1')}  (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()


if __name__ == "__main__":
    main()
