"""Evaluation speed against the reference's pattern and the cost of a cached re-evaluation, in one run, on the demo
benchmark at 224 px with a ViT-S/14 (random weights saved as a local weights folder; speed only) and three runs
trained for one step each (their adapters are real LoRA adapters, loaded as `prpg evaluate` loads them).

Embedding every train and test image once with one run's personalized backbone (nothing cached):
- `reference_loop_img_per_s`: the reference's pattern — batches of 2, fp32, each image decoded and transformed in
  the loop (PIL + torchvision), the LoRA adapter unmerged;
- `prpg_img_per_s`: prpg's first pass as `evaluate_run` makes it (`FeatureCache.embed` of a `lazy_personalized`
  backbone: bf16 autocast where the CPU has it, the batch size measured on this machine, decoding in threads, the
  LoRA folded into the weights as `evaluate_run` does by default), the same without bf16 (`prpg_fp32_img_per_s`), and
  with and without merging in the same rounds (`merged_vs_unmerged`: the median of the rounds' ratios).
Ratio `prpg_vs_reference_loop_uncached` (target >= 2.5x): the median over five interleaved rounds of prpg's
rate over the reference's.

Evaluating the three runs (pretrained + personalized, global tasks; figures off):
- `uncached_eval_s`: empty caches;
- `cached_eval_seconds`: again in the same process with new cache objects and the image-hash memo cleared (as a
  new `prpg evaluate` would), metrics recomputed from cached embeddings — target < 1 s; `cached_eval_builds` counts
  the backbones it built (0 expected);
- `cached_eval_reuse_seconds`: the same with `reuse=True` (stored results whose inputs match are returned, as the demo
  and `prpg pipeline` rerun);
- `cached_eval_dense_seconds`: the cached evaluation with the dense tasks at a 16 x 16 grid (their features cached; the
  predictions and COCO metrics are recomputed)."""
import os, sys, tempfile, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
HOME = Path(tempfile.mkdtemp(prefix='prpg-evalbench-'))
os.environ['PRPG_HOME'] = str(HOME)              # empty caches, and nothing of the user's touched

import torch
from _common import conditions, save

N, IMAGE = 3, 224


def setup():
    "Demo dataset, a ViT-S/14 weights folder (random), and three one-step runs."
    import timm
    from timm.models import save_for_hf
    from prpg.data import load_dataset
    from prpg.demo_data import DemoConfig, build_demo
    from prpg.train import make_train_config, train
    from prpg.triplets import TripletConfig, make_triplets
    w = HOME/'vits14'
    w.mkdir()
    torch.manual_seed(0)
    save_for_hf(timm.create_model('vit_small_patch14_dinov2', pretrained=False, img_size=IMAGE, num_classes=0), str(w))
    root = build_demo(DemoConfig(categories=['mug', 'shoe'], instances_per_category=3, n_test_per_shift=6,
                                 n_dense_per_shift=2, n_negatives=4), progress=False)
    ds = load_dataset(root)
    runs = []
    for inst in ds.instances[:N]:
        t = make_triplets(ds, inst, HOME/'triplets'/f'{inst}.csv', TripletConfig(num_triplets=4, positives='real'))
        cfg = make_train_config(triplets=t, backbone='dinov2_vits14', weights=w, image_size=IMAGE, batch_size=2,
                                max_steps=1, out_root=HOME/'train', progress=False)
        runs.append(train(cfg))
    return ds, runs


def reference_loop(bb, paths):
    "The reference's evaluation loop: batches of 2, fp32, decode + transform in the loop."
    from PIL import Image
    from torchvision import transforms as T
    tf = T.Compose([T.Resize(256, interpolation=T.InterpolationMode.BICUBIC), T.CenterCrop(IMAGE), T.ToTensor(),
                    T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
    bb.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(paths), 2):
            out.append(bb(torch.stack([tf(Image.open(p).convert('RGB')) for p in paths[i:i + 2]])))
    return torch.cat(out)


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def embedding_rates(run, paths, rounds:int=5) -> dict:
    """Images/s of the reference loop and of prpg's first pass, nothing cached, interleaved over `rounds` (this
    machine's speed drifts by up to 2x over minutes: each ratio is the median of the rounds' ratios): prpg as
    `evaluate_run` builds the personalized backbone (LoRA folded into the weights by default, `merge`), the other way
    round in the same rounds, and once without bf16."""
    import inspect, statistics
    from prpg.evaluate import evaluate_run, lazy_personalized
    from prpg.features import FeatureCache
    from prpg.models import autocast_dtype, best_batch_size
    from prpg.train import load_personalized
    merge = inspect.signature(evaluate_run).parameters['merge'].default
    unmerged = load_personalized(run)
    dt = autocast_dtype('cpu')
    t = time.perf_counter()
    batch = best_batch_size(unmerged, torch.device('cpu'), dt)        # measured once per machine, then remembered
    measure_s = time.perf_counter() - t
    reference_loop(unmerged, paths[:4])                                # warm-up
    first = lambda bb, **kw: FeatureCache(tempfile.mkdtemp(dir=HOME)).embed(bb, paths, **kw)
    ref, ours, other = [], [], []
    for _ in range(rounds):
        ref.append(len(paths) / timed(lambda: reference_loop(unmerged, paths)))
        ours.append(len(paths) / timed(lambda: first(lazy_personalized(run, merge=merge))))
        other.append(len(paths) / timed(lambda: first(lazy_personalized(run, merge=not merge))))
    m, u = (ours, other) if merge else (other, ours)
    return {'reference_loop_img_per_s': statistics.median(ref), 'prpg_img_per_s': statistics.median(ours),
            'prpg_merges_lora': merge, 'ratio_per_round': [o / r for o, r in zip(ours, ref)],
            'prpg_merged_img_per_s': statistics.median(m), 'prpg_unmerged_img_per_s': statistics.median(u),
            'merged_vs_unmerged_per_round': [a / b for a, b in zip(m, u)],
            'prpg_fp32_img_per_s': len(paths) / timed(lambda: first(lazy_personalized(run, merge=merge),
                                                                    precision='fp32')),
            'batch_size_chosen': batch, 'batch_size_fp32_chosen': best_batch_size(unmerged, torch.device('cpu'), None),
            'batch_measure_s': measure_s, 'autocast': str(dt)}


def evaluations(runs) -> dict:
    "Uncached, cached and reused evaluations of the runs; counts the backbones built when all is cached."
    from prpg import features
    from prpg.dense import DenseOptions
    from prpg.evaluate import evaluate_run
    built, get = [], features.LazyBackbone.get
    def counting(self):
        if not self.is_built: built.append(1)
        return get(self)
    def all_runs(**kw):
        features._HASHES.clear()                                       # as a new process would hash the images again
        return [evaluate_run(r, figures=False, **kw) for r in runs]
    r = {'uncached_eval_s': timed(lambda: all_runs(dense=False))}
    features.LazyBackbone.get = counting
    try:
        r['cached_eval_seconds'] = timed(lambda: all_runs(dense=False))
        r['cached_eval_builds'] = len(built)
        r['cached_eval_reuse_seconds'] = timed(lambda: all_runs(dense=False, reuse=True))
    finally: features.LazyBackbone.get = get
    all_runs(dense=DenseOptions(grid=16))                              # fills the dense cache
    r['cached_eval_dense_seconds'] = timed(lambda: all_runs(dense=DenseOptions(grid=16)))
    return r


def main():
    warnings.simplefilter('ignore')
    ds, runs = setup()
    paths = [it.path for it in ds.items if it.split in ('train', 'test')]
    results = {'images': len(paths), 'instances': N, **embedding_rates(runs[0], paths), **evaluations(runs)}
    import statistics
    ratios = {'prpg_vs_reference_loop_uncached': statistics.median(results['ratio_per_round']),
              'merged_vs_unmerged': statistics.median(results['merged_vs_unmerged_per_round']),
              'bf16_vs_fp32': results['prpg_img_per_s'] / results['prpg_fp32_img_per_s'],
              'uncached_vs_cached_eval': results['uncached_eval_s'] / results['cached_eval_seconds']}
    save('eval_throughput', conditions(backbone='dinov2_vits14 (random weights, local folder)', image_size=IMAGE,
                                       reference='batch 2, fp32, PIL + torchvision in the loop, LoRA unmerged'),
         results, ratios, per_machine=True)


if __name__ == '__main__': main()
