"""CPU arithmetic: fp32 vs bf16 autocast for the embedded encoder, in the same run.

Times, on the embedded all-MiniLM-L6-v2 (or ``--model``) with random token ids:

* scoring: one forward pass of a ``--batch`` x ``--length`` batch under ``torch.inference_mode``;
* training: one forward + backward + AdamW step of the whole encoder on the same batch.

Each is measured ``--repeats`` times per precision after a warm-up, fp32 and bf16 interleaved so
that both see the same machine state; the report gives medians and the bf16/fp32 ratio, and the
largest difference of the mean-pooled output between the two (bf16 rounding).  Whether the CPU
runs bf16 natively (AVX512-BF16 / AMX) decides what ``precision: auto`` picks; where it does not,
bf16 is emulated and slower.

    python benchmarks/bench_precision.py --out bench_precision.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import statistics
import time


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="embedded")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--length", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default=None)
    a = ap.parse_args(argv)

    import torch
    from transformers import AutoModel

    from convguard.modeling import native_bf16, resolve_base

    torch.manual_seed(0)
    model = AutoModel.from_pretrained(resolve_base(a.model))
    x = torch.randint(1000, 20000, (a.batch, a.length))
    mask = torch.ones_like(x)
    ctx = {"fp32": contextlib.nullcontext, "bf16": lambda: torch.autocast("cpu", dtype=torch.bfloat16)}

    def score(p: str) -> float:
        model.eval()
        with torch.inference_mode(), ctx[p]():
            t = time.perf_counter()
            model(input_ids=x, attention_mask=mask)
            return time.perf_counter() - t

    opt = torch.optim.AdamW(model.parameters(), lr=1e-6)

    def train(p: str) -> float:
        model.train()
        t = time.perf_counter()
        with ctx[p]():
            loss = model(input_ids=x, attention_mask=mask).last_hidden_state.float().pow(2).mean()
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return time.perf_counter() - t

    times: dict[str, dict[str, list[float]]] = {"score": {"fp32": [], "bf16": []}, "train": {"fp32": [], "bf16": []}}
    for job, fn in (("score", score), ("train", train)):
        for p in ("fp32", "bf16"):
            fn(p)  # warm-up
        for _ in range(a.repeats):
            for p in ("fp32", "bf16"):
                times[job][p].append(fn(p))
    model.eval()
    with torch.inference_mode():
        ref = model(input_ids=x, attention_mask=mask).last_hidden_state.mean(1)
        with ctx["bf16"]():
            low = model(input_ids=x, attention_mask=mask).last_hidden_state.float().mean(1)
    report = {
        "machine": {"cpu": platform.processor() or platform.machine(), "threads": torch.get_num_threads(),
                    "native_bf16": native_bf16("cpu"), "torch": torch.__version__},
        "batch": a.batch, "length": a.length, "repeats": a.repeats,
        "median_seconds": {job: {p: statistics.median(v) for p, v in d.items()} for job, d in times.items()},
        "max_abs_diff_pooled": float((ref - low).abs().max()),
    }
    report["bf16_over_fp32"] = {job: report["median_seconds"][job]["bf16"] / report["median_seconds"][job]["fp32"]
                                for job in times}
    print(json.dumps(report, indent=1))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(report, f, indent=1)
    return report


if __name__ == "__main__":
    main()
