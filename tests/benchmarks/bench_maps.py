"""Size and speed of minemap's map.html against geopandas' .explore() for the same district map.

    .venv/bin/python tests/benchmarks/bench_maps.py [PATH...]     (default: the embedded sample corpus)

Both maps are built in one run from the same district layer (embedded boundaries, sample corpus run
through extraction and aggregation): `.explore()` colours the opening layer with the same scheme and k.
minemap's page is self-contained by default (Leaflet inlined); `.explore()` links its libraries from CDNs,
so the like-for-like comparison is minemap's `--cdn` page. Exits non-zero when that page is more than half
the bytes of .explore()'s.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def build_layer(paths):
    import minemap

    result = minemap.run(paths)
    return result.districts, result.aggregation, len(result.documents), len(result.figures)


def timed(fn, repeat=3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return out, best


def main(argv: list[str]) -> int:
    from minemap.mapmodel import choose, table_of
    from minemap.maps import map_html, render_maps

    if argv:
        paths = argv
    else:
        from minemap.extraction.sample import SAMPLE_DIR
        paths = [str(SAMPLE_DIR)]
    layer, agg, n_docs, n_figs = build_layer(paths)
    column = choose(table_of(layer)).column

    def explore_html() -> str:
        m = layer.explore(column=column, scheme="fisherjenks", k=5, cmap="YlOrRd")
        return m.get_root().render()

    ex, ex_t = timed(explore_html)
    mm_sc, mm_sc_t = timed(lambda: map_html(layer, agg))
    mm, mm_t = timed(lambda: map_html(layer, agg, self_contained=False))
    with tempfile.TemporaryDirectory() as tmp:
        _, all_t = timed(lambda: render_maps(layer, agg, Path(tmp)), repeat=1)

    ex_b, mm_b, sc_b = (len(x.encode("utf-8")) for x in (ex, mm, mm_sc))
    print(f"input: {n_docs} documents, {n_figs} figures; opening layer: {column}")
    print(f"{'map':44} {'bytes':>10} {'seconds':>9}")
    print(f"{'geopandas .explore() (libraries from CDNs)':44} {ex_b:>10,} {ex_t:>9.3f}")
    print(f"{'minemap map.html (default: self-contained)':44} {sc_b:>10,} {mm_sc_t:>9.3f}")
    print(f"{'minemap map.html --cdn':44} {mm_b:>10,} {mm_t:>9.3f}")
    print(f"{'minemap html+png+svg (render_maps)':44} {'':>10} {all_t:>9.3f}")
    print(f"ratio bytes minemap/explore: --cdn {mm_b / ex_b:.3f}, self-contained incl. Leaflet {sc_b / ex_b:.3f}")
    print(f"ratio time  minemap/explore: --cdn {mm_t / ex_t:.2f}, self-contained {mm_sc_t / ex_t:.2f}")
    if mm_b > ex_b / 2:
        print("FAIL: minemap's --cdn page is more than half the size of .explore()'s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
