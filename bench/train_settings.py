"""Optimizer and thread settings for prpg's training step, measured on this machine (issue 14's last CPU lever).

Two questions, each answered by timing on the real architectures (DINOv2 ViT-S/14 and ViT-B/14, random weights,
224 px, batch 16 triplets, LoRA r16 alpha 0.5 dropout 0.3 on qkv, JPEG decoding and augmentation in every step):

- **Optimizer implementation.** torch's Adam/AdamW come as a per-tensor loop (the CPU default), `foreach` (one
  multi-tensor kernel per operation) and `fused` (one kernel for the whole update). Each is timed on the LoRA
  parameters with gradients set (median of `OPT_REPEAT` updates), next to the whole step it is part of, so the share
  of the step the optimizer can save is known. Their results after ten updates are compared with the loop's
  (`max_abs_diff_vs_loop`), since a setting that changes numbers would change every run.
- **Threads.** prpg's own step (`prpg.train.training_step`, as `prpg train` runs it) with torch's intra-op threads
  at every count from 1 to the number of cores, with and without the prefetch thread (`TrainConfig.prefetch`), and
  with denormals flushed to zero (`torch.set_flush_denormal`). The settings take turns, two steps each (the first
  untimed, the second timed, so a prefetched batch was decoded during a step of its own run), so drift and other load
  hit all alike; after a prefetching setting's turn its thread gets `SETTLE` seconds to decode its next batch rather
  than doing it during another setting's step. Each setting's median step is kept.

A setting becomes an option of `TrainConfig` only if it measures faster here; the JSON says which did
(`ratios`: each setting's step speed against prpg's default, > 1 is faster). One process per model."""
import json, os, statistics, sys, tempfile, time, warnings
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from train_throughput import BATCH, LORA, MODELS, jpeg_triplets

STEPS, OPT_REPEAT, SETTLE = 3, 50, 3.0

def optimizers(params:list) -> dict:
    "Adam and AdamW in each implementation torch offers on the CPU."
    out = {}
    for name, Opt in (('adam', torch.optim.Adam), ('adamw', torch.optim.AdamW)):
        for impl, kw in (('loop', dict(foreach=False)), ('foreach', dict(foreach=True)), ('fused', dict(fused=True))):
            try: out[f'{name}_{impl}'] = Opt(params, lr=1e-4, **kw)
            except (RuntimeError, ValueError) as e: out[f'{name}_{impl}'] = str(e)
    return out

def time_optimizers(model:str) -> dict:
    "Median seconds of one update per optimizer, and how far each lands from the loop after ten updates."
    from prpg.train import _lora_backbone, make_train_config
    cfg = make_train_config(backbone=MODELS[model], lora=dict(LORA), batch_size=BATCH, progress=False)
    out = {}
    for name in optimizers([torch.nn.Parameter(torch.zeros(1))]):
        torch.manual_seed(0)                      # the same LoRA start for every optimizer
        bb = _lora_backbone(cfg, pretrained=False)
        params = [p for p in bb.parameters() if p.requires_grad]
        opt = optimizers(params)[name]
        if isinstance(opt, str):
            out[name] = {'unavailable': opt}
            continue
        g = torch.Generator().manual_seed(0)
        grads = [torch.randn(p.shape, generator=g) for p in params]
        for p, gr in zip(params, grads): p.grad = gr.clone()
        for _ in range(10): opt.step()            # ten updates from the same start: the numbers to compare
        final = torch.cat([p.detach().flatten() for p in params])
        ts = []
        for _ in range(OPT_REPEAT):
            t = time.perf_counter()
            opt.step()
            ts.append(time.perf_counter() - t)
        out[name] = {'seconds': statistics.median(ts), 'params': sum(p.numel() for p in params), 'final': final}
    finals = {name: v.pop('final') for name, v in out.items() if 'final' in v}
    for name, f in finals.items():
        out[name]['max_abs_diff_vs_loop'] = float((f - finals[name.split('_')[0] + '_loop']).abs().max())
    return out

def time_threads(model:str, trips:list) -> dict:
    "Median step seconds of prpg's step at each thread count, with and without prefetch, and with denormals flushed."
    from prpg.train import make_train_config, training_step
    cores = os.cpu_count() or 1
    made = {}
    def step_fn(prefetch):
        if prefetch not in made:
            cfg = make_train_config(backbone=MODELS[model], lora=dict(LORA), batch_size=BATCH, seed=0,
                                    progress=False, prefetch=prefetch)
            made[prefetch] = training_step(cfg, trips, pretrained=False)[0]
        return made[prefetch]
    settings = {f'threads_{n}': (n, False, False) for n in range(1, cores + 1)}
    settings |= {f'threads_{n}_prefetch': (n, True, False) for n in range(1, cores + 1)}
    settings['threads_default_flush_denormal'] = (torch.get_num_threads(), False, True)
    default = torch.get_num_threads()
    times = {k: [] for k in settings}
    for r in range(STEPS + 1):                    # the first round warms up every setting
        for k, (n, prefetch, flush) in settings.items():
            fn = step_fn(prefetch)
            torch.set_num_threads(n)
            torch.set_flush_denormal(flush)
            fn()            # untimed: its batch was decoded ahead while other settings ran (prefetch hidden for free)
            t = time.perf_counter()
            fn()            # timed: its batch was decoded during the step before, as in a run
            if r: times[k].append(time.perf_counter() - t)
            if prefetch: time.sleep(SETTLE)   # the thread decodes the next batch now: not during another's step
    torch.set_num_threads(default)
    torch.set_flush_denormal(False)
    return {'default_threads': default, 'seconds_per_step': {k: statistics.median(v) for k, v in times.items()}}

def run_model(model:str) -> dict:
    trips = jpeg_triplets(Path(tempfile.mkdtemp()))
    return {'optimizers': time_optimizers(model), 'threads': time_threads(model, trips)}

def main():
    from _common import conditions, save
    import subprocess
    results, ratios = {}, {}
    for m in MODELS:
        r = subprocess.run([sys.executable, __file__, '--model', m], capture_output=True, text=True)
        if r.returncode: sys.exit(f'{m}: {r.stderr[-3000:]}')
        got = json.loads(r.stdout.strip().splitlines()[-1])
        th = got['threads']
        steps = th['seconds_per_step']
        base = steps[f'threads_{th["default_threads"]}']
        for k, v in steps.items():
            results[f'{m}_{k}_seconds_per_step'] = v
            ratios[f'{m}_{k}_vs_default'] = base / v
        for k, v in got['optimizers'].items():
            if 'unavailable' in v:
                results[f'{m}_{k}_unavailable'] = v['unavailable'][:200]
                continue
            results[f'{m}_{k}_update_ms'] = v['seconds'] * 1e3
            results[f'{m}_{k}_share_of_step'] = v['seconds'] / base
            results[f'{m}_{k}_max_abs_diff_vs_loop'] = v['max_abs_diff_vs_loop']
        results[f'{m}_lora_params'] = next(v['params'] for v in got['optimizers'].values() if 'params' in v)
        loop = got['optimizers']['adamw_loop']['seconds']
        for impl in ('foreach', 'fused'):
            v = got['optimizers'].get(f'adamw_{impl}', {})
            # the whole step's speed-up if the update alone changed: step / (step - loop + impl)
            if 'seconds' in v: ratios[f'{m}_adamw_{impl}_step_vs_default'] = base / (base - loop + v['seconds'])
        print(f'{m}: ' + ', '.join(f'{k} {v:.2f} s' for k, v in steps.items()), flush=True)
    save('train_settings', conditions(batch_triplets=BATCH, image_size=224, lora=LORA, timed_steps=STEPS,
                                      optimizer_repeats=OPT_REPEAT, models=MODELS,
                                      timing='interleaved, median per setting; optimizer: median update'),
         results, ratios, per_machine=True)

if __name__ == '__main__':
    warnings.simplefilter('ignore')
    if len(sys.argv) > 2 and sys.argv[1] == '--model':
        print(json.dumps(run_model(sys.argv[2])), flush=True)
        os._exit(0)        # the prefetch threads are still parked in their next batch: do not wait for them
    else: main()
