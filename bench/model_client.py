"""Benchmark: overhead of `ModelClient` over calling llama-cpp-python directly.

Both paths share one loaded `Llama` object and run the same prompts with
greedy decoding and the same token limit, alternating direct and client calls
so that drift in machine speed affects both alike. The KV cache is reset
before every call, so each call evaluates its whole prompt.

    python bench/model_client.py [--rounds 3] [--max-tokens 64] [--json out.json]

Prints the median seconds per call for each path and their ratio; the target
is a client overhead under 5 %.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.core.settings import Settings  # noqa: E402
from services.model.backends.embedded import LlamaCppChatModel  # noqa: E402
from services.model.client import ModelClient  # noqa: E402
from services.model.factory import build_model_client  # noqa: E402

PROMPTS = [
    "请用两句话说明什么是融合套餐。",
    "写一条提醒用户流量即将用尽的短信，不超过50字。",
    "把下面这句话翻译成英文：本套餐月功能费199元，含60GB国内通用流量。",
    "List three reasons a business might choose a dedicated internet line.",
    "为“电信用户个人信息保护工作方案”列出四个一级标题。",
]


def time_direct(llama: object, prompt: str, max_tokens: int, repeat_penalty: float) -> tuple[float, str, int]:
    llama.reset()  # type: ignore[attr-defined]
    started = time.perf_counter()
    reply = llama.create_chat_completion(  # type: ignore[attr-defined]
        messages=[{"role": "user", "content": prompt}],
        max_tokens=max_tokens,
        temperature=0.0,
        repeat_penalty=repeat_penalty,
    )
    elapsed = time.perf_counter() - started
    return elapsed, reply["choices"][0]["message"]["content"], reply["usage"]["completion_tokens"]


def time_client(client: ModelClient, llama: object, prompt: str, max_tokens: int) -> tuple[float, str, int]:
    llama.reset()  # type: ignore[attr-defined]
    started = time.perf_counter()
    completion = client.generate(prompt, max_tokens=max_tokens, temperature=0.0)
    elapsed = time.perf_counter() - started
    return elapsed, completion.text, completion.usage.completion_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="Times each prompt runs on each path.")
    parser.add_argument("--max-tokens", type=int, default=64, help="Completion token limit per call.")
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()

    settings = Settings(model_backend="embedded", log_level="WARNING")
    client = build_model_client(settings)
    client.load()
    chat_model = client.backend.chat_model
    assert isinstance(chat_model, LlamaCppChatModel)
    llama = chat_model._llama

    # One untimed call per path warms caches and threads.
    time_direct(llama, PROMPTS[0], 8, settings.model_repeat_penalty)
    time_client(client, llama, PROMPTS[0], 8)

    direct_seconds: list[float] = []
    client_seconds: list[float] = []
    mismatched = 0
    tokens = 0
    for _ in range(args.rounds):
        for prompt in PROMPTS:
            direct_time, direct_text, direct_tokens = time_direct(
                llama, prompt, args.max_tokens, settings.model_repeat_penalty
            )
            client_time, client_text, _ = time_client(client, llama, prompt, args.max_tokens)
            direct_seconds.append(direct_time)
            client_seconds.append(client_time)
            tokens += direct_tokens
            mismatched += direct_text != client_text

    direct_total = sum(direct_seconds)
    client_total = sum(client_seconds)
    ratio = client_total / direct_total
    # Each client call runs right after its direct twin, so the median of the
    # per-pair ratios resists bursts of load from other processes.
    paired_ratio = statistics.median(c / d for c, d in zip(client_seconds, direct_seconds, strict=True))
    results = {
        "calls_per_path": len(direct_seconds),
        "completion_tokens_direct": tokens,
        "direct_seconds_total": round(direct_total, 3),
        "client_seconds_total": round(client_total, 3),
        "direct_seconds_median": round(statistics.median(direct_seconds), 3),
        "client_seconds_median": round(statistics.median(client_seconds), 3),
        "ratio_client_over_direct": round(ratio, 4),
        "median_paired_ratio": round(paired_ratio, 4),
        "overhead_percent": round((ratio - 1) * 100, 2),
        "outputs_differing": mismatched,
        "model": client.model_name,
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}",
    }

    print(f"model: {results['model']}")
    print(
        f"calls per path: {results['calls_per_path']}  "
        f"({args.rounds} rounds x {len(PROMPTS)} prompts, max {args.max_tokens} tokens)"
    )
    print(f"direct llama-cpp-python: total {direct_total:.2f} s, median {results['direct_seconds_median']:.3f} s/call")
    print(f"ModelClient:             total {client_total:.2f} s, median {results['client_seconds_median']:.3f} s/call")
    print(f"ratio client/direct:     {ratio:.4f}  (overhead {results['overhead_percent']:+.2f} %, target < 5 %)")
    print(f"median paired ratio:     {paired_ratio:.4f}")
    print(f"outputs that differ:     {mismatched}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
