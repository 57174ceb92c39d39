#!/usr/bin/python3
"""Reads a JMH JSON result of org.gpt4j.bench.kernels and prints matrix-product GFLOP/s beside
PyTorch's (OpenBLAS, 2 threads) at the same shapes, timed now, one after the other."""
import json
import os
import sys
import time


def torch_forms(torch, rows, n_in, n_out):
    x = torch.randn(rows, n_in)
    w = torch.randn(n_in, n_out)
    wt = torch.randn(n_out, n_in)
    b = torch.randn(n_out)
    dy = torch.randn(rows, n_out)
    dx = torch.zeros(rows, n_in)
    dw = torch.zeros(n_in, n_out)
    dwt = torch.zeros(n_out, n_in)
    return {
        "forward": lambda: torch.addmm(b, x, w),
        "backwardInput": lambda: dx.addmm_(dy, w.t()),
        "backwardWeight": lambda: dw.addmm_(x.t(), dy),
        "forwardTransposed": lambda: torch.mm(x, wt.t()),
        "backwardTransposedInput": lambda: dx.addmm_(dy, wt),
        "backwardTransposedWeight": lambda: dwt.addmm_(dy.t(), x),
    }


def seconds_per_call(f, budget=1.0):
    for _ in range(2):
        f()
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < budget:
        f()
        calls += 1
    return (time.perf_counter() - start) / calls


def main():
    results = json.load(open(sys.argv[1]))
    matmul = [r for r in results if ".MatmulBenchmark." in r["benchmark"]]
    compact = [r for r in results if ".CompactMatmulBenchmark." in r["benchmark"]]
    others = [r for r in results if r not in matmul and r not in compact]
    if compact:
        print(f"{'form':18s} {'rows x in x out':15s} {'weights':8s} {'us':>9s} {'weights GB/s':>13s} {'GFLOP/s':>8s}")
        for r in compact:
            rows, n_in, n_out = (int(v) for v in r["params"]["shape"].split("x"))
            fmt = r["params"]["weights"]
            seconds = r["primaryMetric"]["score"] * 1e-6
            nbytes = n_in * n_out * {"f32": 4, "bf16": 2, "int8": 1}[fmt]
            print(f"{r['benchmark'].rsplit('.', 1)[1]:18s} {r['params']['shape']:15s} {fmt:8s} {seconds * 1e6:9.1f}"
                  f" {nbytes / seconds / 1e9:13.1f} {2.0 * rows * n_in * n_out / seconds / 1e9:8.1f}")
    for r in others:
        name = r["benchmark"].rsplit(".", 2)
        shape = r.get("params", {}).get("shape", "")
        print(f"{name[-2]}.{name[-1]:28s} {shape:14s} {r['primaryMetric']['score']:10.1f} us")
    if not matmul:
        return
    import torch
    torch.set_num_threads(2)
    print(f"\n{'form':26s} {'rows x in x out':16s} {'gpt4j GFLOP/s':>14s} {'PyTorch GFLOP/s':>16s} {'ratio':>6s}")
    cache = {}
    for r in matmul:
        form = r["benchmark"].rsplit(".", 1)[1]
        shape = r["params"]["shape"]
        rows, n_in, n_out = (int(v) for v in shape.split("x"))
        flops = 2.0 * rows * n_in * n_out
        ours = flops / (r["primaryMetric"]["score"] * 1e-6) / 1e9
        if shape not in cache:
            cache = {shape: torch_forms(torch, rows, n_in, n_out)}
        theirs = flops / seconds_per_call(cache[shape][form]) / 1e9
        print(f"{form:26s} {shape:16s} {ours:14.1f} {theirs:16.1f} {ours / theirs:6.2f}", flush=True)
    print(f"# load average {os.getloadavg()[0]:.2f} after", file=sys.stderr)


if __name__ == "__main__":
    main()
