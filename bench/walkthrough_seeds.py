"""Does the walkthrough's recipe improve its instance for more than one seed? Runs `nbs/tutorials/walkthrough.ipynb`
with papermill for seeds 0, 1 and 2 (each into runs/walkthrough-seeds/seed<k>/, a rerun reuses finished stages) and
collects the pretrained and personalized metrics its last cell writes, with the classification and look-alike AP
differences' 95 % intervals over the instance's test images; prints a table and writes
bench/results/walkthrough_seeds.json with the machine.

    python bench/walkthrough_seeds.py
"""
import json, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import conditions, save

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (0, 1, 2)

def main():
    import papermill as pm
    results, improved = {}, {}
    for s in SEEDS:
        out = ROOT/'runs'/'walkthrough-seeds'/f'seed{s}'
        out.mkdir(parents=True, exist_ok=True)
        pm.execute_notebook(str(ROOT/'nbs'/'tutorials'/'walkthrough.ipynb'), str(out/'walkthrough.ipynb'),
                            parameters={'seed': s, 'out': str(out)}, cwd=str(ROOT/'nbs'/'tutorials'), progress_bar=False)
        m = json.loads((out/'metrics.json').read_text())
        for k, v in m.items():
            results[f'seed{s} {k} pretrained'] = round(v['pretrained'], 4)
            results[f'seed{s} {k} personalized'] = round(v['personalized'], 4)
            if 'delta' in v:                     # 95 % interval over the instance's test images (image bootstrap)
                d = v['delta']
                results[f'seed{s} {k} delta'] = f"{d['mean']:+.3f} [{d['lo']:+.3f}, {d['hi']:+.3f}]"
            improved.setdefault(k, []).append(v['personalized'] > v['pretrained'])
    results.update({f'{k} improved in': f'{sum(v)}/{len(v)} seeds' for k, v in improved.items()})
    save('walkthrough_seeds', conditions(precision='fp32', seeds=list(SEEDS)), results, {}, per_machine=True)

if __name__ == '__main__': main()
