"""National-scale benchmark of `feedback-nlp index`: read + validate + compute.

85 regions × 30 centers, 100 respondents per center answering ~70 % of the 18 indicators
(≈ 3.2 M answer rows), every objective row, 300 k mentions. Writes the inputs as CSV once,
then times a fresh process doing what `feedback-nlp index` does, and reports peak memory.

    python benchmarks/bench_index.py [--workdir DIR] [--keep]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS, TARGET_MB = 20.0, 2048

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from feedback_nlp.inputs import load_index_inputs
from scoring.index import compute_index
from scoring.methodology import load_methodology
m = load_methodology("pilot-2022")
t1 = time.perf_counter()
inputs = load_index_inputs(m, survey=sys.argv[1], objective=sys.argv[2], mentions=sys.argv[3])
t2 = time.perf_counter()
result = compute_index(inputs, m, "2022Q2")
t3 = time.perf_counter()
doc = result.to_dict()
with open(sys.argv[4], "w", encoding="utf-8") as fh:
    json.dump(doc, fh, ensure_ascii=False)
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "read_validate": t2 - t1, "compute": t3 - t2, "write_json": t4 - t3,
                  "total": t4 - t0, "rows": len(inputs.survey), "objective_rows": len(inputs.objective),
                  "mentions": len(inputs.mentions), "centers": len(doc["centers"]), "regions": len(doc["regions"]),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(workdir: Path) -> tuple[Path, Path, Path]:
    from feedback_nlp.inputs.synthetic import SyntheticSpec, make_inputs

    paths = tuple(workdir / f"{name}.csv" for name in ("survey", "objective", "mentions"))
    if all(p.exists() for p in paths):
        return paths
    spec = SyntheticSpec(regions=[f"Регион {i:02d}" for i in range(85)], centers_per_region=30,
                         respondents_per_center=100, answer_share=0.7, mentions=300_000, seed=1)
    frames = make_inputs(spec)
    for name, path in zip(("survey", "objective", "mentions"), paths):
        frames[name].to_csv(path, index=False)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-index-"))
    workdir.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    survey, objective, mentions = generate(workdir)
    print(f"inputs in {workdir} ({survey.stat().st_size / 1e6:.0f} MB survey CSV), generated in "
          f"{time.perf_counter() - t:.1f} s")
    proc = subprocess.run([sys.executable, "-c", CHILD, str(survey), str(objective), str(mentions),
                           str(workdir / "index.json")], capture_output=True, text=True, check=True)
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"answer rows        {stats['rows']:>12,}")
    print(f"objective rows     {stats['objective_rows']:>12,}")
    print(f"mentions           {stats['mentions']:>12,}")
    print(f"centers / regions  {stats['centers']:>7,} / {stats['regions']}")
    for key in ("import", "read_validate", "compute", "write_json", "total"):
        print(f"{key:<18} {stats[key]:>10.2f} s")
    print(f"peak memory        {stats['peak_mb']:>10.0f} MB")
    ok = stats["total"] < TARGET_SECONDS and stats["peak_mb"] < TARGET_MB
    print(f"targets (< {TARGET_SECONDS:.0f} s, < {TARGET_MB} MB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
