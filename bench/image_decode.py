"""How much faster is `prpg.data.load_image(path, max_side=224)` (JPEG draft decoding) than decoding the full image and
resizing it, as evaluation at 224 px does for every test image? Measured in one run on real photos (DreamBench, 512 px,
when ../shared is present) and on synthetic 1024 px JPEGs (the size of PODS images)."""
import sys, tempfile
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from _common import best_of, conditions, save
from prpg.data import load_image, list_images

SIDE = 224
DB = Path(__file__).resolve().parents[2]/'shared'/'data'/'dreambench'

def full_decode(paths):
    for p in paths:
        im = load_image(p)
        s = SIDE / max(im.size)
        im.resize((round(im.width * s), round(im.height * s)), Image.BICUBIC)

def draft_decode(paths):
    for p in paths: load_image(p, max_side=SIDE)

def synthetic_jpegs(d, n=40, size=1024):
    rng = np.random.default_rng(0); out = []
    yy, xx = np.mgrid[0:size, 0:size] / size
    for k in range(n):
        base = np.stack([np.sin(6 * xx + k), np.cos(5 * yy - k), np.sin(3 * (xx + yy) + k)], -1) * 90 + 128
        img = np.clip(base + rng.normal(0, 12, base.shape), 0, 255).astype(np.uint8)
        p = Path(d)/f'{k:03d}.jpg'; Image.fromarray(img).save(p, quality=90); out.append(p)
    return out

def main():
    results, ratios, sets = {}, {}, {}
    tmp = tempfile.TemporaryDirectory()
    sets['synthetic_1024'] = synthetic_jpegs(tmp.name)
    if DB.is_dir(): sets['dreambench_512'] = [p for d in sorted(DB.iterdir()) if d.is_dir() for p in list_images(d)]
    for name, paths in sets.items():
        t_full, t_draft = best_of(lambda: full_decode(paths)), best_of(lambda: draft_decode(paths))
        results[f'{name}_images'] = len(paths)
        results[f'{name}_full_decode_img_per_s'] = len(paths) / t_full
        results[f'{name}_draft_decode_img_per_s'] = len(paths) / t_draft
        ratios[f'draft_vs_full_decode_{name}'] = t_full / t_draft
    save('image_decode', conditions(target_side=SIDE), results, ratios)

if __name__ == '__main__': main()
