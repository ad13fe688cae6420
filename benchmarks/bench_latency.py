"""Latency and throughput of convguard's Guard on this machine: PyTorch fp32 vs ONNX Runtime fp32
vs ONNX Runtime int8, against the stock PyTorch fp32 MiniLM-L6 reference measured in the same run,
and the cost of one more turn of a long live chat (session API) vs re-scoring the conversation.

    python benchmarks/bench_latency.py                       # ~3-5 minutes on 2 cores
    python benchmarks/bench_latency.py --bundle quickstart/bundle --out bench.json

Without ``--bundle`` (or when ``quickstart/bundle`` does not exist) it builds a bundle from the
embedded all-MiniLM-L6-v2 encoder, frozen, with its heads fitted as linear probes on generated
conversations (about a minute): latency does not depend on the trained weights, and the fitted
heads spread the scores like a trained model, so decision agreement is measured on a realistic
score distribution.

What is timed:

* latency (batch 1): ``guard.check(conversation)`` end to end -- validation, tokenisation with the
  truncation rules, both detectors (harm + crisis), the policy -- one conversation at a time;
  p50/p95 over the set.  Systems are interleaved conversation by conversation so that noise from
  other processes hits all of them alike.
* throughput (batch 32): ``guard.check_many(conversations, batch_size=32)``; conversations/s.
* the reference: stock ``AutoModel`` all-MiniLM-L6-v2 in PyTorch fp32, one forward pass on 256
  tokens (tokeniser included), and the same on each conversation's text (truncated to 256).
* sessions: a 70-user-turn chat; per-turn cost of ``session.observe`` vs ``guard.check`` on the
  whole conversation so far (warm and cold token and per-turn logits caches), and the per-turn
  cost at 10/60/250/500 turns.

What is checked:

* decision agreement of every timed backend (ONNX fp32, int8, int8 + fp32 cascade) with PyTorch
  fp32 on the hand-written challenge set (``data/challenge/``) and on generated test
  conversations -- whole conversations, the decision after the last user turn -- per set.  When a
  gated system (``--gate``; default: the ONNX variant ``convguard serve --bundle`` loads and the
  int8 cascade, the default for int8) agrees on less than the export's parity gate
  (:data:`convguard.export.MIN_AGREEMENT`) the script prints which backend, set and conversations
  disagree and exits with status 3.
* the goals of issue 13 (:data:`GOALS`), each a ratio measured in this run against its baseline
  (the stock MiniLM-L6 fp32 forward on the same conversations, or the Guard itself), PASS/MISS.

``--quick`` runs everything on a handful of conversations (seconds on a tiny bundle: the tests use
it to check the decision gate); its timings mean nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# the bundle
# ------------------------------------------------------------------------------------------

def build_bench_bundle(work: Path, seed: int = 0, n_train: int = 1200) -> Path:
    """Embedded MiniLM + heads fitted as linear probes on the frozen encoder -> a bundle.

    Fitting the heads (logistic regression on the pooled output of generated, labelled
    conversations) takes a minute and gives scores spread like a trained model's, so decision
    agreement between PyTorch and ONNX int8 is measured on a realistic score distribution --
    random heads bunch every score around 0.5, where any rounding flips a decision."""
    import torch
    from sklearn.linear_model import LogisticRegression

    from convguard.bundle import write_bundle
    from convguard.datagen import generate_conversations
    from convguard.modeling import HARM_HEADS, TURN_HEADS, build_model, head_slices, pad_batch
    from convguard.policy import Policy, Rules
    from convguard.taxonomy import HARM_CATEGORIES
    from convguard.text import ConversationEncoder, EncodeSpec

    torch.manual_seed(seed)
    convs = generate_conversations(n_train, seed=seed + 11)
    dirs = {}
    feats = None
    for name, heads in (("harm", HARM_HEADS), ("crisis", TURN_HEADS)):
        # the crisis folder is a turn detector (view turns), as in the quickstart
        spec = EncodeSpec(view="turns", max_length=128, last_user_max=64, stub_tokens=8, context_tokens=16) \
            if name == "crisis" else EncodeSpec()
        model, tok = build_model("embedded", heads, spec=spec, recipe=name)
        model.eval()
        if feats is None:  # both detectors share the frozen encoder (and its random pooler: same seed)
            enc = ConversationEncoder(tok, EncodeSpec())
            seqs = [enc.encode(c.messages) for c in convs]
            out = []
            with torch.inference_mode():
                for s in range(0, len(seqs), 32):
                    ids, mask = pad_batch(seqs[s: s + 32], enc.pad_id)
                    out.append(model.bert(input_ids=ids, attention_mask=mask).pooler_output)
            feats = torch.cat(out).numpy()
            pooler = {k: v.clone() for k, v in model.bert.pooler.state_dict().items()}
        model.bert.pooler.load_state_dict(pooler)
        w = torch.zeros_like(model.classifier.weight)
        b = torch.full_like(model.classifier.bias, -8.0)  # classes never seen stay improbable
        sl = head_slices(heads)
        for h in heads:
            if h.name == "harm_category":
                y = [HARM_CATEGORIES.index(c.labels.harm_category or "none") for c in convs]
            elif h.name == "persistence":
                y = [min(int(c.labels.persistence or 0), 3) for c in convs]
            elif h.name in ("push", "refusal"):  # conversation-level proxies: the probe is for timing only
                y = [int((c.labels.persistence or 0) > 0) for c in convs]
            else:
                y = [int(getattr(c.labels, h.name) or 0) for c in convs]
            lr = LogisticRegression(C=1.0, max_iter=2000).fit(feats, y)
            rows = list(range(sl[h.name].start, sl[h.name].stop))
            if h.kind == "binary":
                w[rows[0]] = torch.from_numpy(lr.coef_[0]).float()
                b[rows[0]] = float(lr.intercept_[0])
            else:
                for j, cls in enumerate(lr.classes_):
                    w[rows[int(cls)]] = torch.from_numpy(lr.coef_[j] if len(lr.classes_) > 2 else
                                                         (lr.coef_[0] if j else -lr.coef_[0]) / 2).float()
                    b[rows[int(cls)]] = float(lr.intercept_[j] if len(lr.classes_) > 2 else
                                              (lr.intercept_[0] if j else -lr.intercept_[0]) / 2)
        with torch.no_grad():
            model.classifier.weight.copy_(w)
            model.classifier.bias.copy_(b)
        d = work / "models" / name
        model.save_pretrained(d)
        tok.save_pretrained(d)
        dirs[name] = d
    return write_bundle(work / "bundle", harm_dir=dirs["harm"], crisis_dir=dirs["crisis"],
                        policy=Policy(rules=Rules(min_refused_pushes=1)),
                        extra={"note": "benchmark bundle: embedded all-MiniLM-L6-v2 (frozen), heads fitted as "
                                       "linear probes on generated data"})


# ------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------

def realistic_conversations(n: int, seed: int) -> list[list[dict]]:
    """Generated conversations, each cut at its last user turn (decisions follow user turns)."""
    from convguard.datagen import generate_conversations

    out = []
    for c in generate_conversations(n, seed=seed):
        msgs = [m.to_dict() for m in c.messages]
        last_user = max(i for i, m in enumerate(msgs) if m["role"] == "user")
        out.append(msgs[: last_user + 1])
    return out


def full_window_conversations(n: int, seed: int, encoder) -> list[list[dict]]:
    """Conversations long enough to fill the 256-token window (several generated chats joined)."""
    from convguard.schema import as_messages

    pool = realistic_conversations(4 * n, seed + 1)
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        msgs: list[dict] = []
        while True:
            msgs += rng.choice(pool)
            if len(encoder.encode(as_messages(msgs))) >= encoder.spec.max_length:
                break
        out.append(msgs)
    return out


def long_chat(n_user_turns: int, seed: int) -> list[dict]:
    """system, then user/assistant turns drawn from generated chats, ending on the last user turn."""
    pool = realistic_conversations(200, seed)
    users = [m for c in pool for m in c if m["role"] == "user"]
    assistants = [m for c in pool for m in c if m["role"] == "assistant"]
    rng = random.Random(seed)
    msgs: list[dict] = [{"role": "system", "content": "You are a helpful assistant."}]
    for i in range(n_user_turns):
        msgs.append(rng.choice(users))
        if i < n_user_turns - 1:
            msgs.append(rng.choice(assistants))
    return msgs


# ------------------------------------------------------------------------------------------
# timing helpers
# ------------------------------------------------------------------------------------------

def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


def interleaved_latency(systems: dict, items: list, warmup: int = 5, after_warmup=None) -> dict[str, list[float]]:
    """Time ``fn(item)`` for every system on every item, round-robin, in ms (``after_warmup()`` is
    called between the warm-up calls and the timed ones)."""
    for fn in systems.values():
        for it in items[:warmup]:
            fn(it)
    if after_warmup is not None:
        after_warmup()
    times: dict[str, list[float]] = {k: [] for k in systems}
    order = list(systems)
    for j, it in enumerate(items):
        rot = order[j % len(order):] + order[: j % len(order)]  # vary who goes first
        for k in rot:
            t = time.perf_counter()
            systems[k](it)
            times[k].append((time.perf_counter() - t) * 1000)
    return times


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import importlib.metadata as md

    for pkg in ("torch", "onnxruntime", "transformers", "convguard"):
        try:
            info[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return info


# ------------------------------------------------------------------------------------------
# decision agreement
# ------------------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
REFERENCE_SYSTEM = "torch_fp32"
#: the ONNX variant of each timed system (its parity gate is convguard.export.MIN_AGREEMENT[variant])
VARIANT_OF = {"onnx_fp32": "fp32", "onnx_int8_pure": "int8", "onnx_int8": "int8"}
AGREEMENT_SYSTEMS = tuple(VARIANT_OF)


def challenge_conversations(path: str) -> list[tuple[str, list[dict]]]:
    """(id, messages) of the hand-written challenge set (:func:`convguard.dataset.load_challenge`:
    strict, a bad record is an error naming file, line and field), each cut at its last user turn
    (:meth:`Conversation.prefix`)."""
    from convguard.dataset import load_challenge

    out = []
    for c in load_challenge(path):
        users = c.user_turn_indices
        if users:
            out.append((c.id, [m.to_dict() for m in c.prefix(users[-1]).messages]))
    return out


def agreement_report(guards: dict, sets: dict[str, list[tuple[str, list[dict]]]], systems=AGREEMENT_SYSTEMS,
                     max_ids: int = 10) -> dict:
    """Per set, each system's decisions (check_many, batch 32) against PyTorch fp32's."""
    out: dict = {}
    for set_name, items in sets.items():
        ids = [i for i, _ in items]
        convs = [c for _, c in items]
        ref = [d.action for d in guards[REFERENCE_SYSTEM].check_many(convs, batch_size=32)]
        rep: dict = {"n": len(items), "torch_actions": dict(sorted(
            {a: ref.count(a) for a in set(ref)}.items()))}
        for k in systems:
            g = guards[k]
            before = dict(g.stats)
            got = [d.action for d in g.check_many(convs, batch_size=32)]
            bad = [j for j, (x, y) in enumerate(zip(ref, got)) if x != y]
            r = {"agreement": round(1 - len(bad) / max(1, len(ref)), 4), "n_disagree": len(bad),
                 "disagreeing_ids": [ids[j] for j in bad[:max_ids]],
                 "disagreements": [{"id": ids[j], "torch": ref[j], k: got[j]} for j in bad[:5]]}
            if g.fallback_margin:
                calls = 2 * (g.stats["scored"] - before["scored"])
                r["fallback_fraction_of_detector_calls"] = round((g.stats["fallback"] - before["fallback"])
                                                                 / max(1, calls), 4)
            rep[k] = r
        out[set_name] = rep
    return out


def gate_failures(agreement: dict, gate_systems) -> list[str]:
    """One line per (gated system, set) below the export's parity gate."""
    from convguard.export import MIN_AGREEMENT

    lines = []
    for k in gate_systems:
        need = MIN_AGREEMENT[VARIANT_OF[k]]
        for set_name, rep in agreement.items():
            r = rep[k]
            if r["agreement"] < need:
                more = f" (+{r['n_disagree'] - len(r['disagreeing_ids'])} more)" \
                    if r["n_disagree"] > len(r["disagreeing_ids"]) else ""
                lines.append(f"{k} ({NAMES[k]}) on {set_name}: agreement with PyTorch fp32 {r['agreement']:.4f} < "
                             f"{need} ({r['n_disagree']} of {rep['n']} decisions changed); first disagreeing "
                             f"conversations: {', '.join(r['disagreeing_ids'])}{more}")
    return lines


# ------------------------------------------------------------------------------------------
# goals (issue 13): each a ratio measured in this run
# ------------------------------------------------------------------------------------------

#: (key, goal, target ratio (None: the export's int8 parity gate), comparison)
GOALS = [
    ("check_p50_vs_stock", "Guard.check p50 <= 0.25x one stock forward (realistic chats)", 0.25, "<="),
    ("check_p50_vs_stock_window", "Guard.check p50 <= 0.25x one stock forward (window-filling chats)", 0.25, "<="),
    ("check_p95_vs_own_p50", "Guard.check p95 <= 2x its own p50 (realistic chats)", 2.0, "<="),
    ("throughput_vs_stock", "batch-32 throughput >= 10x the stock model's", 10.0, ">="),
    ("session_turn_vs_stock", "one more user turn in a session <= 0.15x a stock forward", 0.15, "<="),
    ("session_turn_flat", "session turn cost flat in chat length (longest / shortest chat, <= 1.5x)", 1.5, "<="),
    ("int8_alone_agreement", "plain int8 passes the decision gate on its own (lowest agreement over sets, "
                             "export parity included)",
     None, ">="),
    ("fallback_share", "fp32 fallback needed on < 5% of Guard.check calls (int8 cascade)", 0.05, "<"),
    ("decisions_kept", "every decision kept by the goal system (lowest agreement over sets)", 1.0, ">="),
]


def goals_table(res: dict, system: str) -> list[dict]:
    from convguard.export import MIN_AGREEMENT

    lat, tp, ses = res["latency_ms"], res["throughput_conv_per_s"], res["session"]
    stock = "stock_minilm_torch_fp32"
    stock_real = lat["realistic"][stock]["p50"]
    growth = ses.get("onnx_int8_per_turn_ms_by_user_turns", {})
    marks = sorted(growth, key=int)
    agr = res["decision_agreement"]
    measured = {
        "check_p50_vs_stock": (lat["realistic"][system]["p50"], stock_real,
                               f"stock MiniLM-L6 fp32 forward p50 {stock_real} ms, same chats"),
        "check_p50_vs_stock_window": (lat["full_window_256"][system]["p50"], lat["full_window_256"][stock]["p50"],
                                      f"stock forward p50 {lat['full_window_256'][stock]['p50']} ms, same chats"),
        "check_p95_vs_own_p50": (lat["realistic"][system]["p95"], lat["realistic"][system]["p50"],
                                 f"its own p50 {lat['realistic'][system]['p50']} ms"),
        "throughput_vs_stock": (tp[system], tp[stock], f"stock forward, batch 32: {tp[stock]} conv/s"),
        "session_turn_vs_stock": (ses["onnx_int8"]["observe_ms_p50"], stock_real,
                                  f"stock forward p50 {stock_real} ms (realistic chats)"),
        "session_turn_flat": ((growth[marks[-1]], growth[marks[0]],
                               f"int8 cascade session, turn {marks[0]}: {growth[marks[0]]} ms") if marks else None),
        # the export's own parity check counts too: that is the gate the export reports
        "int8_alone_agreement": (min([r["onnx_int8_pure"]["agreement"] for r in agr.values()]
                                     + [res["parity"]["int8"]["decision_agreement"]]), 1.0,
                                 "PyTorch fp32 decisions (" + ", ".join(agr) + ", export parity set)"),
        "fallback_share": (res["int8_cascade_fallback"]["share_of_check_calls"], 1.0,
                           f"{res['int8_cascade_fallback']['n_check_calls']} timed Guard.check calls"),
        "decisions_kept": (min(r[system]["agreement"] for r in agr.values()) if system in AGREEMENT_SYSTEMS
                           else 1.0, 1.0, "PyTorch fp32 decisions (" + ", ".join(agr) + ")"),
    }
    rows = []
    for key, goal, target, op in GOALS:
        if key == "int8_alone_agreement":
            target = MIN_AGREEMENT["int8"]
        m = measured[key]
        if m is None:
            continue
        num, den, against = m
        ratio = round(num / den, 4) if den else float("inf")
        ok = {"<=": ratio <= target, "<": ratio < target, ">=": ratio >= target}[op]
        rows.append({"goal": key, "what": goal, "measured": ratio, "target": f"{op} {target}",
                     "baseline": against, "status": "PASS" if ok else "MISS"})
    return rows


def goals_markdown(rows: list[dict], system: str) -> str:
    lines = [f"Goals (issue 13) for {NAMES.get(system, system)}; ratios measured in this run:", "",
             "| goal | measured | target | measured against (same run) | |", "|---|---:|---:|---|---|"]
    for r in rows:
        lines.append(f"| {r['what']} | {r['measured']} | {r['target']} | {r['baseline']} | **{r['status']}** |")
    return "\n".join(lines)


def agreement_markdown(agr: dict) -> str:
    lines = ["| decisions = PyTorch fp32 | " + " | ".join(f"{s} (n={r['n']})" for s, r in agr.items()) + " |",
             "|---|" + "---:|" * len(agr)]
    for k in AGREEMENT_SYSTEMS:
        cells = []
        for r in agr.values():
            c = f"{r[k]['agreement']:.2%} ({r[k]['n_disagree']} differ)"
            if "fallback_fraction_of_detector_calls" in r[k]:
                c += f", fp32 on {r[k]['fallback_fraction_of_detector_calls']:.1%} of detector calls"
            cells.append(c)
        lines.append(f"| {NAMES[k]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def load_guards(bundle: Path, threads: int) -> dict:
    """The timed systems (the tests wrap this to make a backend's decisions differ)."""
    from convguard import Guard

    half = max(1, threads // 2)
    return {
        "torch_fp32": Guard.load(bundle, threads=threads, parallel=False, precision="fp32"),
        "onnx_fp32": Guard.load(bundle, backend="onnx", onnx_variant="fp32", threads=threads, parallel=False),
        "onnx_int8_pure": Guard.load(bundle, backend="onnx", onnx_variant="int8", threads=threads, parallel=False,
                                     fallback_margin=None),
        "onnx_int8": Guard.load(bundle, backend="onnx", onnx_variant="int8", threads=threads, parallel=False),
        "onnx_int8_parallel": Guard.load(bundle, backend="onnx", onnx_variant="int8", threads=half, parallel=True),
    }


def loud(msg: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n{msg}\n{bar}\n", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# main
# ------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", default=None, help="bundle to measure (default: quickstart/bundle if it exists, "
                    "else one built from the embedded encoder with linear-probe heads)")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "convguard-bench"),
                    help="where the benchmark bundle is built")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n-latency", type=int, default=60, help="conversations timed at batch 1 per system")
    ap.add_argument("--n-throughput", type=int, default=128, help="conversations scored at batch 32 per system")
    ap.add_argument("--n-agreement", type=int, default=300,
                    help="generated test conversations for the decision-agreement check")
    ap.add_argument("--challenge", default=str(REPO / "data" / "challenge"),
                    help="the hand-written challenge set (a folder of JSONL files, or one file)")
    ap.add_argument("--rounds", type=int, default=2, help="throughput rounds (the best is kept)")
    ap.add_argument("--turns", type=int, default=70, help="user turns of the long live chat")
    ap.add_argument("--growth", default="10,60,250,500",
                    help="user-turn counts at which the session's per-turn cost is read")
    ap.add_argument("--goal-system", default="onnx_int8", choices=list(NAMES)[1:],
                    help="the system the goals table measures (default: the int8 cascade)")
    ap.add_argument("--gate", default=None,
                    help="comma-separated systems whose decisions must meet the export's parity gate, else exit 3 "
                         "(default: the ONNX variant `convguard serve --bundle` loads, and the int8 cascade)")
    ap.add_argument("--reference", default="embedded",
                    help="the stock model timed as the reference (default: the embedded all-MiniLM-L6-v2)")
    ap.add_argument("--quick", action="store_true",
                    help="a handful of conversations everywhere (seconds; timings meaningless): checks the "
                         "decision gate and the report")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None, help="write the results as JSON here")
    a = ap.parse_args(argv)
    if a.quick:
        a.n_latency, a.n_throughput, a.n_agreement, a.rounds, a.turns = 4, 8, 12, 1, 6
        a.growth = "3,8"
    growth_marks = sorted({int(x) for x in a.growth.split(",") if x.strip()})

    import torch

    torch.set_num_threads(a.threads)
    import transformers

    transformers.logging.set_verbosity_error()
    from transformers import AutoModel, AutoTokenizer

    from convguard.export import MIN_AGREEMENT, export_onnx, resolve_serving_backend
    from convguard.modeling import resolve_base
    from convguard.policy import Policy
    from convguard.schema import as_messages
    from convguard.text import render_text

    t_start = time.time()
    load_before = os.getloadavg()
    res: dict = {"machine": machine(), "threads": a.threads, "command": " ".join([Path(sys.argv[0]).as_posix()]
                                                                                 + (argv or sys.argv[1:]))}
    if a.quick:
        res["quick"] = True

    # -- bundle + export ----------------------------------------------------------------------
    bundle = Path(a.bundle) if a.bundle else (Path("quickstart/bundle") if Path("quickstart/bundle/manifest.json")
                                              .exists() else None)
    if bundle is None:
        work = Path(a.work)
        bundle = work / "bundle"
        if not (bundle / "onnx" / "parity.json").exists():
            log(f"building the benchmark bundle in {work} (embedded MiniLM, linear-probe heads) ...")
            import shutil

            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            build_bench_bundle(work, a.seed)
        res["bundle"] = (f"{bundle} (embedded all-MiniLM-L6-v2, frozen; heads fitted as linear probes on generated "
                         f"data; policy thresholds 0.5)")
    else:
        res["bundle"] = str(bundle)
    if not (bundle / "onnx" / "parity.json").exists():
        log("exporting to ONNX (fp32 + int8) with the parity check ...")
        t = time.time()
        n_calib = 40 if a.quick else 300
        calib = realistic_conversations(n_calib, a.seed + 7)
        Path(a.work).mkdir(parents=True, exist_ok=True)
        pdata = Path(a.work) / "parity.jsonl"
        from convguard.io import write_jsonl

        write_jsonl([{"id": f"p{i}", "messages": c} for i, c in enumerate(calib)], pdata)
        export_onnx(bundle, parity_data=pdata, parity_n=n_calib, seed=a.seed)
        res["export_seconds"] = round(time.time() - t, 1)
    parity = json.loads((bundle / "onnx" / "parity.json").read_text())
    res["parity"] = {v: {k: r[k] for k in ("n", "decision_agreement", "n_disagree", "max_abs_diff", "passed")}
                     for v, r in parity["variants"].items()}
    res["parity"]["torch_actions"] = parity["torch_actions"]
    if "fallback_fraction" in parity["variants"].get("int8_cascade", {}):
        res["parity"]["int8_cascade"]["fallback_fraction"] = parity["variants"]["int8_cascade"]["fallback_fraction"]
    serving = resolve_serving_backend(bundle)  # what `convguard serve --bundle` loads
    serving_system = "onnx_" + serving["onnx_variant"] if serving["backend"] == "onnx" else REFERENCE_SYSTEM
    gate = [k.strip() for k in a.gate.split(",") if k.strip()] if a.gate is not None else \
        list(dict.fromkeys([s for s in (serving_system, "onnx_int8") if s in VARIANT_OF]))
    for k in gate:
        if k not in VARIANT_OF:
            ap.error(f"--gate: {k!r} is not one of {', '.join(VARIANT_OF)}")
    res["serving_default"] = serving_system

    # -- systems ------------------------------------------------------------------------------
    log("loading ...")
    guards = load_guards(bundle, a.threads)
    base_path = resolve_base(a.reference)
    stock = AutoModel.from_pretrained(base_path).eval()
    stock_tok = AutoTokenizer.from_pretrained(base_path)
    res["reference"] = a.reference if a.reference != "embedded" else "all-MiniLM-L6-v2 (embedded), PyTorch fp32"

    def stock_score(text: str) -> None:
        enc = stock_tok(text, truncation=True, max_length=256, return_tensors="pt")
        with torch.inference_mode():
            stock(**enc)

    enc = guards["torch_fp32"].harm.encoder
    real = realistic_conversations(a.n_latency, a.seed + 100)
    full = full_window_conversations(a.n_latency, a.seed + 200, enc)
    tok_real = [len(enc.encode(as_messages(c))) for c in real]
    res["data"] = {"realistic": {"n": len(real), "mean_tokens": round(float(np.mean(tok_real)), 1),
                                 "p95_tokens": int(np.percentile(tok_real, 95)),
                                 "mean_messages": round(float(np.mean([len(c) for c in real])), 1)},
                   "full_window": {"n": len(full), "tokens": enc.spec.max_length}}

    # -- latency, batch 1 ---------------------------------------------------------------------
    res["latency_ms"] = {}
    casc = guards["onnx_int8"]
    casc_calls = {"n": 0, "fell_back": 0}
    casc_total = {"n": 0, "fell_back": 0}

    def cascade_check(c, g=casc):  # counts the Guard.check calls that needed an fp32 re-score
        before = g.stats["fallback"]
        g.check(c)
        casc_calls["n"] += 1
        casc_calls["fell_back"] += g.stats["fallback"] > before

    for label, items in (("full_window_256", full), ("realistic", real)):
        log(f"latency, batch 1, {label} ({len(items)} conversations x {len(guards) + 1} systems) ...")
        systems = {k: (lambda c, g=g: g.check(c)) for k, g in guards.items()}
        systems["onnx_int8"] = cascade_check
        # the reference scores the same conversation's text (truncated to 256 tokens)
        systems["stock_minilm_torch_fp32"] = lambda c: stock_score(render_text(as_messages(c)))
        gc.collect()
        times = interleaved_latency(systems, items, warmup=min(5, len(items)),
                                    after_warmup=lambda: casc_calls.update(n=0, fell_back=0))  # timed calls only
        res["latency_ms"][label] = {k: {"p50": round(statistics.median(v), 2), "p95": round(pct(v, 95), 2),
                                        "mean": round(float(np.mean(v)), 2)} for k, v in times.items()}
        res["latency_ms"][label]["onnx_int8"]["fallback_share_of_calls"] = round(
            casc_calls["fell_back"] / max(1, casc_calls["n"]), 4)
        for key in casc_total:
            casc_total[key] += casc_calls[key]
    res["int8_cascade_fallback"] = {"n_check_calls": casc_total["n"],
                                    "share_of_check_calls": round(casc_total["fell_back"] / max(1, casc_total["n"]), 4)}

    # -- throughput, batch 32 -----------------------------------------------------------------
    log(f"throughput, batch 32 ({a.n_throughput} conversations per system) ...")
    tp_convs = realistic_conversations(a.n_throughput, a.seed + 300)
    res["throughput_conv_per_s"] = {}
    texts = [render_text(as_messages(c)) for c in tp_convs]
    for rnd in range(a.rounds):  # best round kept (noise from other processes only slows things down)
        for k, g in guards.items():
            g.check_many(tp_convs[:32], batch_size=32)
            t = time.perf_counter()
            g.check_many(tp_convs, batch_size=32)
            rate = len(tp_convs) / (time.perf_counter() - t)
            res["throughput_conv_per_s"][k] = round(max(rate, res["throughput_conv_per_s"].get(k, 0.0)), 1)
        t = time.perf_counter()
        for s in range(0, len(texts), 32):
            e = stock_tok(texts[s: s + 32], truncation=True, max_length=256, padding=True, return_tensors="pt")
            with torch.inference_mode():
                stock(**e)
        rate = len(texts) / (time.perf_counter() - t)
        res["throughput_conv_per_s"]["stock_minilm_torch_fp32"] = round(
            max(rate, res["throughput_conv_per_s"].get("stock_minilm_torch_fp32", 0.0)), 1)

    # -- decisions: every backend against PyTorch fp32 ----------------------------------------
    chal = challenge_conversations(a.challenge)
    if a.quick:
        chal = chal[:: max(1, len(chal) // 24)]
    gen = [(f"gen-{i}", c) for i, c in enumerate(realistic_conversations(a.n_agreement, a.seed + 600))]
    sets = {"challenge": chal, "generated_test": gen}
    sets = {k: v for k, v in sets.items() if v}
    log("decision agreement with PyTorch fp32: " + ", ".join(f"{k} ({len(v)})" for k, v in sets.items()) + " ...")
    res["decision_agreement"] = agreement_report(guards, sets)
    res["decision_gate"] = {"systems": gate, "min_agreement": {k: MIN_AGREEMENT[VARIANT_OF[k]] for k in gate}}

    # -- sessions -----------------------------------------------------------------------------
    log(f"session: a {a.turns}-user-turn chat ...")
    res["session"] = {}
    chat = long_chat(a.turns, a.seed + 400)
    users = [i for i, m in enumerate(chat) if m["role"] == "user"]
    for k in ("torch_fp32", "onnx_int8"):
        g = guards[k]
        g.policy.thresholds.terminate = 1.0  # let the chat run to the end (timing only)
        s = g.session()
        obs, full_warm, full_cold, same, max_diff = [], [], [], True, 0.0
        for i, m in enumerate(chat):
            t = time.perf_counter()
            d = s.observe(m)
            dt = (time.perf_counter() - t) * 1000
            if m["role"] != "user":
                continue
            if users.index(i) >= len(users) - 10:  # the last 10 user turns: turn 61..70
                obs.append(dt)
                t = time.perf_counter()
                f = g.check(chat[: i + 1])
                full_warm.append((time.perf_counter() - t) * 1000)
                for det in (g.harm, g.crisis):  # token cache and per-turn logits caches
                    det.encoder._cache.clear()
                    det._cache.clear()
                    det._exact_cache.clear()
                t = time.perf_counter()
                f = g.check(chat[: i + 1])
                full_cold.append((time.perf_counter() - t) * 1000)
                same = same and f.action == d.action
                max_diff = max([max_diff] + [abs(f.scores[h] - d.scores[h]) for h in ("terminate", "crisis")])
        g.policy = Policy.load(bundle / "policy.yaml", taxonomy=g.taxonomy)
        res["session"][k] = {"messages": len(chat), "user_turns": len(users),
                             "observe_ms_p50": round(statistics.median(obs), 2),
                             "rescore_warm_cache_ms_p50": round(statistics.median(full_warm), 2),
                             "rescore_cold_cache_ms_p50": round(statistics.median(full_cold), 2),
                             "same_decisions": same, "max_score_diff_vs_rescore": max_diff}
    # per-turn cost as the chat grows
    g = guards["onnx_int8"]
    g.policy.thresholds.terminate = 1.0
    big = long_chat(max(growth_marks), a.seed + 500)
    s = g.session()
    growth = {}
    n_user = 0
    window: list[float] = []
    for m in big:
        t = time.perf_counter()
        s.observe(m)
        dt = (time.perf_counter() - t) * 1000
        if m["role"] == "user":
            n_user += 1
            window.append(dt)
            if n_user in growth_marks:
                growth[str(n_user)] = round(statistics.median(window[-5:]), 2)
    g.policy = Policy.load(bundle / "policy.yaml", taxonomy=g.taxonomy)
    res["session"]["onnx_int8_per_turn_ms_by_user_turns"] = growth

    # -- goals ---------------------------------------------------------------------------------
    res["goal_system"] = a.goal_system
    res["goals"] = goals_table(res, a.goal_system)
    res["load_average_before"] = [round(x, 2) for x in load_before]
    res["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    res["seconds"] = round(time.time() - t_start, 1)
    failures = gate_failures(res["decision_agreement"], gate)
    res["decision_gate"]["passed"] = not failures
    res["decision_gate"]["failures"] = failures
    text = json.dumps(res, indent=1)
    if a.out:
        Path(a.out).write_text(text + "\n")
    print(text)
    print(markdown(res))
    print()
    print(goals_markdown(res["goals"], a.goal_system))
    print()
    print(agreement_markdown(res["decision_agreement"]))
    fb = res["int8_cascade_fallback"]
    print(f"\nint8 cascade: fp32 re-scoring on {fb['share_of_check_calls']:.1%} of {fb['n_check_calls']} timed "
          f"Guard.check calls; at export {res['parity'].get('int8_cascade', {}).get('fallback_fraction', '-')} "
          f"of detector calls")
    if failures:
        loud("DECISIONS CHANGED -- the benchmark's decision gate failed (convguard.export.MIN_AGREEMENT):\n"
             + "\n".join("  " + f for f in failures)
             + "\nDo not trust or publish these timings for that backend; see decision_agreement in the JSON.")
        return 3
    log(f"decision gate passed for {', '.join(gate)}")
    return 0


NAMES = {"stock_minilm_torch_fp32": "reference: stock MiniLM-L6 (1 model), PyTorch fp32",
         "torch_fp32": "Guard (2 detectors), PyTorch fp32",
         "onnx_fp32": "Guard, ONNX Runtime fp32",
         "onnx_int8_pure": "Guard, ONNX Runtime int8 (no fallback)",
         "onnx_int8": "Guard, ONNX Runtime int8 + fp32 near thresholds (default for int8)",
         "onnx_int8_parallel": "Guard, int8 + fallback, detectors in parallel (1 thread each)"}


def markdown(res: dict) -> str:
    lat = res["latency_ms"]
    tp = res["throughput_conv_per_s"]
    stock = "stock_minilm_torch_fp32"
    sr, sf, st = lat["realistic"][stock]["p50"], lat["full_window_256"][stock]["p50"], tp[stock]
    lines = ["| system | p50 ms (window) | p95 ms (window) | p50 ms (realistic) | p95 ms (realistic) | "
             "conv/s (batch 32) | p50 / stock (window, realistic) | conv/s / stock |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for k, name in NAMES.items():
        f, r = lat["full_window_256"][k], lat["realistic"][k]
        lines.append(f"| {name} | {f['p50']} | {f['p95']} | {r['p50']} | {r['p95']} | {tp.get(k, '-')} | "
                     f"{f['p50'] / sf:.2f}x, {r['p50'] / sr:.2f}x | {tp[k] / st:.2f}x |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
