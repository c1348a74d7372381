"""A real browser drives the heatmap viewer: voila serves a notebook showing `prpg.widgets.HeatmapViewer` over two tiny
trained runs, playwright (with Debian's chromium, never `playwright install`) changes the instance, and the rendered
heatmap must change. The screenshots are saved under runs/browser/."""
import os, shutil, socket, subprocess, sys, tempfile, time, warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
VOILA = Path(sys.executable).parent/'voila'

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or not VOILA.exists(),
                                reason='needs Debian chromium and voila (make test installs both)')

def _free_port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _runs(tmp):
    from prpg.data import load_dataset
    from prpg.demo_data import DemoConfig, build_demo
    from prpg.tiny import tiny_path
    from prpg.train import make_train_config, train
    from prpg.triplets import TripletConfig, make_triplets
    demo = load_dataset(build_demo(DemoConfig(categories=['mug'], instances_per_category=2, n_test_per_shift=1,
                                              n_dense_per_shift=1, n_negatives=4, width=96, height=96), progress=False))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for inst in demo.instances:
            t = make_triplets(demo, inst, tmp/f'{inst}.csv', TripletConfig(num_triplets=8, positives='real'))
            train(make_train_config(triplets=t, backbone='dinov2_vits14', weights=tiny_path('timm_dinov2'), image_size=56,
                                    batch_size=4, epochs=1, lora={'r': 2}, out_root=tmp/'runs', progress=False))
    return tmp/'runs'

def test_heatmap_viewer_in_a_browser():
    import nbformat
    from playwright.sync_api import sync_playwright
    tmp = Path(tempfile.mkdtemp()); runs = _runs(tmp)
    nb = nbformat.v4.new_notebook(metadata={'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}})
    nb.cells = [nbformat.v4.new_code_cell(f'from prpg.widgets import HeatmapViewer\nv = HeatmapViewer({str(runs)!r}, grid=8)\nv')]
    nbformat.write(nb, tmp/'viewer.ipynb')
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp/'jcfg'), 'JUPYTER_DATA_DIR': str(tmp/'jdata'),
           'JUPYTER_RUNTIME_DIR': str(tmp/'jrt'), 'MPLBACKEND': 'Agg'}
    port = _free_port(); shots = ROOT/'runs'/'browser'; shots.mkdir(parents=True, exist_ok=True)
    srv = subprocess.Popen([str(VOILA), str(tmp/'viewer.ipynb'), f'--port={port}', '--no-browser', '--Voila.ip=127.0.0.1'],
                           env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=['--no-sandbox'])
            pg = b.new_page(viewport={'width': 1100, 'height': 700})
            for _ in range(120):                                  # wait until the server listens (one page load = one kernel)
                with socket.socket() as s:
                    if s.connect_ex(('127.0.0.1', port)) == 0: break
                time.sleep(0.5)
            pg.goto(f'http://127.0.0.1:{port}/', timeout=300000)  # voila runs the notebook before it answers
            pg.wait_for_selector('.widget-dropdown select', timeout=120000)
            img = pg.locator('.widget-image img, img.widget-image').first
            img.wait_for(timeout=60000)
            pg.wait_for_function("() => { const i = document.querySelector('.widget-image img, img.widget-image'); "
                                 "return i && i.complete && i.naturalWidth > 100; }", timeout=60000)
            before = img.get_attribute('src'); before_px = img.screenshot(); pg.screenshot(path=str(shots/'heatmap_viewer_1.png'))
            sel = pg.locator('.widget-dropdown select').first
            options = sel.locator('option').all_inner_texts(); assert len(options) == 2, options
            sel.select_option(index=1)
            pg.wait_for_function("(b) => { const i = document.querySelector('.widget-image img, img.widget-image'); return i && i.src !== b; }",
                                 arg=before, timeout=60000)
            pg.wait_for_function("() => { const i = document.querySelector('.widget-image img, img.widget-image'); "
                                 "return i && i.complete && i.naturalWidth > 100; }", timeout=60000)
            after = img.get_attribute('src'); after_px = img.screenshot(); pg.screenshot(path=str(shots/'heatmap_viewer_2.png'))
            b.close()
        assert after != before and after_px != before_px          # the rendered heatmap itself changed
        assert (shots/'heatmap_viewer_2.png').stat().st_size > 10000
    finally:
        srv.terminate()
        try: srv.wait(10)
        except subprocess.TimeoutExpired: srv.kill()
