"""`prpg demo` end to end on the offline default: data, check, cut/paste positives, triplets, the generic backbone, one LoRA adapter per
instance, evaluation (global and dense). Personalization must beat the generic backbone on classification AP (the demo's purpose)."""
import json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRPG = str(Path(sys.executable).parent/'prpg')

def test_demo_end_to_end(tmp_path):
    out = tmp_path/'demo'
    r = subprocess.run([PRPG, 'demo', '--config', str(ROOT/'data'/'demo.yaml'), '--out', str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    s = json.loads((out/'summary.json').read_text())
    assert s['stages_done'] == ['data', 'check', 'cutpaste', 'triplets', 'train', 'evaluate']
    c, nd, la = s['classification_ap'], s['retrieval_ndcg'], s['classification_ap_lookalikes']
    print(f"\nclassification AP generic {c['generic']:.3f} -> personalized {c['personalized']:.3f} (improved {s['improved_instances']}/12); "
          f"look-alike AP {la['generic']:.3f} -> {la['personalized']:.3f} (improved {s['improved_instances_lookalikes']}/12); "
          f"retrieval NDCG {nd['generic']:.3f} -> {nd['personalized']:.3f}")
    assert c['personalized'] > c['generic']                      # the reference protocol: all other instances as negatives
    assert la['personalized'] > la['generic'] + 0.1 and s['improved_instances_lookalikes'] >= 8
    assert len(list(Path(s['synthetic']).glob('*/cp_*.png'))) == 12 * 60       # cut/paste positives of every instance
    assert s['detection_ap']['generic'] >= 0 and s['segmentation_ap']['personalized'] >= 0
    assert (out/'report'/'report.png').is_file() and 'MEAN' in r.stdout
    # a second run reuses everything: same numbers
    r2 = subprocess.run([PRPG, 'demo', '--config', str(ROOT/'data'/'demo.yaml'), '--out', str(out)], capture_output=True, text=True)
    assert r2.returncode == 0 and json.loads((out/'summary.json').read_text())['classification_ap'] == c
