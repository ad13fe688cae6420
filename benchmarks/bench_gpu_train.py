"""GPU fine-tuning and scoring speed: convguard's training loop vs a plain Hugging Face Trainer.

Times, on the same model (MiniLM-L6-H384 with the harm heads) and the same encoded data:

* ``trainer_dynamic``: ``transformers.Trainer``, batch 32, dynamic padding, bf16;
* ``trainer_pad512``:  the same, every batch padded to ``--max-length``;
* ``convguard``:       the harm recipe's own loop (length-grouped batches, bf16 autocast, fused
                       AdamW, one host sync per ``log_every`` steps, pinned non-blocking copies,
                       optional ``torch.compile`` and padding to a multiple), at a larger batch.

For each: samples/s and real (non-padding) tokens/s in the steady state (after warm-up steps),
model FLOPs utilisation against the GPU's dense bf16 peak, and validation PR-AUC of the
terminate head after the same number of training samples (accuracy must stay within noise).
Then scoring: conversations/s of the detector on the GPU (length-sorted bf16 batches) vs a
naive loop (batch 32 in arrival order, HF tokenizer padding, fp32).

    python benchmarks/bench_gpu_train.py --out bench_gpu.json            # on a GPU machine
    python benchmarks/bench_gpu_train.py --smoke --out smoke.json        # CPU smoke run (tiny sizes)

``--model`` defaults to the embedded all-MiniLM-L6-v2; any local BERT-style folder works.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

RESULTS: dict = {}

#: dense bf16 tensor-core peaks (spec sheet, SXM) by GPU name fragment; the README of this
#: project's device tool measured about 790 TFLOP/s for an 8k GEMM on both H100 and H200
PEAK_BF16 = {"H200": 989e12, "H100": 989e12, "A100": 312e12, "L4": 121e12, "A10": 125e12}


def save(out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(RESULTS, indent=1, default=str))


def gpu_peak() -> tuple[str, float | None]:
    if not torch.cuda.is_available():
        return platform.processor() or "cpu", None
    name = torch.cuda.get_device_name(0)
    for k, v in PEAK_BF16.items():
        if k in name:
            return name, v
    return name, None


def train_flops(model, seq_lens_padded: list[int]) -> float:
    """6 x non-embedding params x padded tokens + attention (12 x layers x S^2 x H per sequence)."""
    cfg = model.config
    n_params = sum(p.numel() for n, p in model.named_parameters() if "embeddings" not in n)
    toks = sum(seq_lens_padded)
    attn = sum(12 * cfg.num_hidden_layers * s * s * cfg.hidden_size for s in seq_lens_padded)
    return 6 * n_params * toks + attn


def build_data(args):
    from transformers import AutoTokenizer

    from convguard.datagen import generate_conversations, split_conversations
    from convguard.dataset import expand_prefixes
    from convguard.text import ConversationEncoder, EncodeSpec

    convs = generate_conversations(args.n, seed=0)
    splits = split_conversations(convs, seed=0)
    train = expand_prefixes(splits["train"], 2, 0)
    val = expand_prefixes(splits["validation"], 2, 1)[: args.n_val]
    tok = AutoTokenizer.from_pretrained(args.model)
    enc = ConversationEncoder(tok, EncodeSpec(max_length=args.max_length, last_user_max=128, first_user_max=64,
                                              stub_tokens=8))
    tr_ids = [enc.encode(c.messages) for c in train]
    va_ids = [enc.encode(c.messages) for c in val]
    lens = np.array([len(x) for x in tr_ids])
    RESULTS["data"] = {"n_conversations": args.n, "train_examples": len(tr_ids), "val_examples": len(va_ids),
                       "max_length": args.max_length, "tokens_median": float(np.median(lens)),
                       "tokens_mean": float(lens.mean()), "tokens_p95": float(np.percentile(lens, 95))}
    return train, val, tr_ids, va_ids, tok, enc


def heads_labels(convs):
    """The packed multi-label target of the harm heads (terminate, category one-hot, persistence one-hot)."""
    from convguard.dataset import targets
    from convguard.modeling import HARM_HEADS, head_slices

    sl = head_slices(HARM_HEADS)
    width = sum(h.width for h in HARM_HEADS)
    y = np.zeros((len(convs), width), dtype=np.float32)
    for i, c in enumerate(convs):
        t = targets(c, "harm")
        y[i, sl["terminate"].start] = t["terminate"]
        if t["harm_category"] >= 0:
            y[i, sl["harm_category"].start + t["harm_category"]] = 1
        if t["persistence"] >= 0:
            y[i, sl["persistence"].start + t["persistence"]] = 1
    return y


def val_pr_auc(model, va_ids, val, pad_id, device) -> float:
    from sklearn.metrics import average_precision_score

    from convguard.modeling import predict_logits

    model.eval()
    lg = predict_logits(model, va_ids, pad_id, 256, device)
    y = np.array([int(c.labels.terminate or 0) for c in val])
    return float(average_precision_score(y, torch.sigmoid(lg[:, 0]).numpy()))


def run_trainer(name, args, tr_ids, va_ids, train, val, tok, pad_to_max: bool):
    from transformers import DataCollatorWithPadding, Trainer, TrainerCallback, TrainingArguments

    from convguard.modeling import HARM_HEADS, build_model
    from convguard.text import EncodeSpec

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    model, _ = build_model(args.model, HARM_HEADS, spec=EncodeSpec(max_length=args.max_length), recipe="harm")
    y = heads_labels(train)

    class DS(torch.utils.data.Dataset):
        def __len__(self):
            return len(tr_ids)

        def __getitem__(self, i):
            ids = tr_ids[i]
            if pad_to_max:
                ids = ids + [tok.pad_token_id] * (args.max_length - len(ids))
                mask = [1] * len(tr_ids[i]) + [0] * (args.max_length - len(tr_ids[i]))
            else:
                mask = [1] * len(ids)
            return {"input_ids": ids, "attention_mask": mask, "labels": y[i]}

    times: list[float] = []

    class Clock(TrainerCallback):
        def on_step_begin(self, a, s, c, **kw):
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            times.append(time.perf_counter())

    steps = args.steps
    targs = TrainingArguments(output_dir=f"/tmp/bench_{name}", per_device_train_batch_size=32, max_steps=steps,
                              learning_rate=5e-5, bf16=torch.cuda.is_available(), logging_steps=50, save_strategy="no",
                              report_to=[], dataloader_num_workers=2 if torch.cuda.is_available() else 0,
                              use_cpu=not torch.cuda.is_available(), seed=0, disable_tqdm=True)
    trainer = Trainer(model=model, args=targs, train_dataset=DS(),
                      data_collator=DataCollatorWithPadding(tok), callbacks=[Clock()])
    t0 = time.perf_counter()
    trainer.train()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    total = time.perf_counter() - t0
    warm = min(args.warmup, len(times) - 2)
    steady = (time.perf_counter() - times[warm]) if len(times) > warm else total
    n_steady = steps - warm
    samples = n_steady * 32
    # real tokens and padded lengths of the sampled batches (Trainer shuffles; use the mean)
    mean_real = float(np.mean([len(x) for x in tr_ids]))
    padded = args.max_length if pad_to_max else None
    r = {"samples_per_s": samples / steady, "real_tokens_per_s": samples * mean_real / steady, "steps": steps,
         "batch_size": 32, "total_seconds": total, "val_pr_auc": val_pr_auc(model, va_ids, val, tok.pad_token_id, device)}
    name_gpu, peak = gpu_peak()
    if peak:
        # dynamic padding pads to each batch's longest; estimate with the mean of per-batch maxima
        if padded is None:
            rng = np.random.default_rng(0)
            lens = np.array([len(x) for x in tr_ids])
            padded = float(np.mean([lens[rng.choice(len(lens), 32)].max() for _ in range(200)]))
        fl = train_flops(model, [int(padded)] * samples)
        r["mfu"] = fl / steady / peak
    RESULTS[name] = r
    return r


def run_convguard(args, train, val, tok):
    from convguard.config import load_config
    from convguard.train import fit

    over = [f"model.base={args.model}", f"model.max_length={args.max_length}", "model.truncation.last_user_max=128",
            "model.truncation.first_user_max=64", "model.truncation.stub_tokens=8", "train.epochs=1",
            f"train.max_steps={math.ceil(args.steps * 32 / args.batch)}", f"train.batch_size={args.batch}",
            "train.lr=1e-4", f"train.compile={str(args.compile).lower()}",
            f"train.pad_to_multiple_of={args.pad_multiple}", "train.log_every=50", "train.eval_every=100000",
            "train.progress=false", "tracking.enabled=false", "data.prefixes=false", "output_dir=/tmp/bench_cg",
            "resume=false", "train.eval_batch_size=256", "train.warmup_ratio=0.06"]
    cfg = load_config(None, over, kind="recipe")
    res = fit(cfg, train, val)
    th = res.extra["throughput"]
    steps = res.steps
    r = {"samples_per_s_incl_warmup": th["samples_per_s"], "real_tokens_per_s_incl_warmup": th["real_tokens_per_s"],
         "steps": steps, "batch_size": args.batch, "compile": args.compile, "pad_to_multiple_of": args.pad_multiple,
         "train_loop_seconds": th["train_loop_seconds"], "val_pr_auc": res.extra["val_metrics"]["pr_auc"]}
    if th.get("steady_samples_per_s"):
        r["samples_per_s"] = th["steady_samples_per_s"]
        r["real_tokens_per_s"] = th["steady_real_tokens_per_s"]
    name_gpu, peak = gpu_peak()
    if peak and th.get("steady_padded_lengths"):
        from convguard.modeling import HARM_HEADS, build_model
        from convguard.text import EncodeSpec

        m, _ = build_model(args.model, HARM_HEADS, spec=EncodeSpec(), recipe="harm")
        r["mfu"] = train_flops(m, th["steady_padded_lengths"]) / th["steady_seconds"] / peak
    RESULTS["convguard" + ("" if args.compile else "_nocompile")] = r
    return res


def run_scoring(args, model_dir, val, tok):
    from transformers import AutoModelForSequenceClassification

    from convguard.modeling import predict_logits
    from convguard.text import ConversationEncoder, EncodeSpec, render_text

    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).to(device).eval()
    convs = (val * (1 + args.n_score // max(1, len(val))))[: args.n_score]
    enc = ConversationEncoder(tok, EncodeSpec(max_length=args.max_length, last_user_max=128, first_user_max=64,
                                              stub_tokens=8))
    out = {}
    # naive: batch 32 in arrival order, HF tokenizer on rendered text, fp32
    texts = [render_text(c.messages) for c in convs]
    with torch.no_grad():
        for rep in range(2):
            if device == "cuda":
                torch.cuda.synchronize()
            t = time.perf_counter()
            for s in range(0, len(texts), 32):
                b = tok(texts[s: s + 32], padding=True, truncation=True, max_length=args.max_length,
                        return_tensors="pt").to(device)
                model(**b).logits.float().cpu()
            if device == "cuda":
                torch.cuda.synchronize()
            naive = time.perf_counter() - t
    out["naive_batch32_conversations_per_s"] = len(texts) / naive
    # convguard: per-message cached encoding, length-sorted bf16 batches of 256
    for rep in range(2):
        if device == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        seqs = [enc.encode(c.messages) for c in convs]
        predict_logits(model, seqs, tok.pad_token_id, 256, device)
        if device == "cuda":
            torch.cuda.synchronize()
        ours = time.perf_counter() - t
    out["convguard_conversations_per_s"] = len(convs) / ours
    out["speedup"] = out["convguard_conversations_per_s"] / out["naive_batch32_conversations_per_s"]
    out["n"] = len(convs)
    RESULTS["scoring"] = out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("bench_gpu.json"))
    ap.add_argument("--model", default=None, help="encoder folder (default: the embedded MiniLM)")
    ap.add_argument("--n", type=int, default=6000, help="conversations to generate")
    ap.add_argument("--n-val", type=int, default=2000)
    ap.add_argument("--n-score", type=int, default=8000)
    ap.add_argument("--max-length", type=int, default=512)
    ap.add_argument("--steps", type=int, default=400, help="Trainer steps at batch 32 (convguard: same samples)")
    ap.add_argument("--warmup", type=int, default=30, help="steps excluded from the steady-state timing")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--pad-multiple", type=int, default=64)
    ap.add_argument("--compile", action=argparse.BooleanOptionalAction, default=False,
                    help="torch.compile the model (measured slower and less stable here: recompiles per length)")
    ap.add_argument("--only", default="trainer_dynamic,trainer_pad512,convguard,scoring")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes for a CPU check of the script")
    args = ap.parse_args()
    if args.model is None:
        from convguard.modeling import resolve_base

        args.model = resolve_base("embedded")
    if args.smoke:
        args.n, args.n_val, args.n_score, args.steps, args.warmup, args.batch = 200, 64, 64, 6, 2, 32
        args.max_length = min(args.max_length, 128)
        args.compile = False
    import transformers

    transformers.logging.set_verbosity_error()
    name, peak = gpu_peak()
    RESULTS["machine"] = {"device": name, "bf16_peak_flops": peak, "torch": torch.__version__,
                          "transformers": transformers.__version__, "python": platform.python_version(),
                          "cuda": torch.version.cuda, "cpu_threads": torch.get_num_threads()}
    RESULTS["command"] = " ".join(sys.argv)
    train, val, tr_ids, va_ids, tok, enc = build_data(args)
    save(args.out)
    only = args.only.split(",")
    for name_, pad in (("trainer_dynamic", False), ("trainer_pad512", True)):
        if name_ in only:
            try:
                run_trainer(name_, args, tr_ids, va_ids, train, val, tok, pad)
            except Exception as e:  # keep the other figures
                RESULTS[name_] = {"error": repr(e)}
            save(args.out)
            print(name_, RESULTS[name_], flush=True)
    model_dir = None
    if "convguard" in only:
        try:
            res = run_convguard(args, train, val, tok)
            model_dir = res.model_dir
        except Exception as e:
            import traceback

            traceback.print_exc()
            RESULTS["convguard" + ("" if args.compile else "_nocompile")] = {"error": repr(e)}
        save(args.out)
        print("convguard", RESULTS.get("convguard", RESULTS.get("convguard_nocompile")), flush=True)
    if "scoring" in only:
        try:
            run_scoring(args, model_dir or args.model, val, tok)
        except Exception as e:
            RESULTS["scoring"] = {"error": repr(e)}
        save(args.out)
        print("scoring", RESULTS.get("scoring"), flush=True)
    best_trainer = max((RESULTS.get(k, {}).get("samples_per_s") or 0) for k in ("trainer_dynamic", "trainer_pad512"))
    ours = RESULTS.get("convguard", {}).get("samples_per_s")
    if best_trainer and ours:
        RESULTS["speedup_vs_best_trainer"] = ours / best_trainer
    save(args.out)
    print(json.dumps(RESULTS, indent=1, default=str))


if __name__ == "__main__":
    main()
