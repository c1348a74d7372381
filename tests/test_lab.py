"""`make lab` opens the tutorials in JupyterLab from the venv: the test starts it through the Makefile (as a user types
it, with extra server flags in LAB_ARGS; the browser it opens is a stand-in that writes the address down), then loads that address the walkthrough in Debian's
chromium through playwright (never `playwright install`): the notebook's cells must render, with the walkthrough's
title among them. A screenshot is saved under runs/browser/. About 20-40 s on 2 cores: JupyterLab's start and its
JavaScript bundle in a real browser are the cost of proving that a person can open the notebooks."""
import os, re, shutil, socket, subprocess, sys, tempfile, time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
JUPYTER = Path(sys.executable).parent/'jupyter-lab'

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or not JUPYTER.exists() or not shutil.which('make'),
                                reason='needs Debian chromium, make and jupyterlab (make test installs them)')

def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

def _opened(srv, opened:Path, timeout:float=120) -> str:
    "The address JupyterLab asked the browser (a stand-in that writes it down) to open, once it listens."
    t = time.time()
    while time.time() - t < timeout and srv.poll() is None:
        if opened.is_file() and (url := opened.read_text().strip()): return url
        time.sleep(0.2)
    raise AssertionError('JupyterLab opened nothing:\n' + (opened.parent/'lab.log').read_text()[-3000:])

def test_make_lab_opens_the_walkthrough():
    from playwright.sync_api import sync_playwright
    tmp = Path(tempfile.mkdtemp())
    (tmp/'browser.sh').write_text(f'#!/bin/sh\necho "$1" > {tmp}/opened.txt\n')
    (tmp/'browser.sh').chmod(0o755)
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(tmp/'jcfg'), 'JUPYTER_RUNTIME_DIR': str(tmp/'jrt'),
           'JUPYTERLAB_WORKSPACES_DIR': str(tmp/'ws'), 'MPLBACKEND': 'Agg', 'BROWSER': str(tmp/'browser.sh')}
    port, shots = _free_port(), ROOT/'runs'/'browser'
    shots.mkdir(parents=True, exist_ok=True)
    flags = (f'--port={port} --ServerApp.ip=127.0.0.1 --ServerApp.port_retries=0 '
             "--IdentityProvider.token= --LabApp.news_url=None "
             '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate '
             f'--FileCheckpoints.checkpoint_dir={tmp}/checkpoints')       # not beside the notebooks
    status = ['git', 'status', '--porcelain', '--untracked-files=all', '--ignored', 'nbs']
    before = subprocess.run(status, cwd=ROOT, capture_output=True, text=True).stdout
    # -o: the venv counts as built (the test never installs anything)
    srv = subprocess.Popen(['make', '-s', '-o', '.venv/.prpg-installed', 'lab', f'LAB_ARGS={flags}'], cwd=ROOT, env=env,
                           stdout=open(tmp/'lab.log', 'w'), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = _opened(srv, tmp/'opened.txt')              # a local page that forwards to the notebook's address
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=['--no-sandbox'])
            pg = b.new_page(viewport={'width': 1200, 'height': 800})
            pg.goto(url, timeout=180000)
            pg.wait_for_url(re.compile(rf'http://127\.0\.0\.1:{port}/lab/tree/tutorials/walkthrough\.ipynb'),
                            timeout=60000)
            pg.wait_for_selector('.jp-Notebook .jp-Cell', timeout=180000)
            pg.get_by_role('heading', name=re.compile('Walkthrough: the whole method')).first.wait_for(timeout=120000)
            n = pg.locator('.jp-Notebook .jp-Cell').count()
            pg.screenshot(path=str(shots/'jupyterlab_walkthrough.png'))
            b.close()
        assert n >= 1, n                                   # cells are drawn as they scroll into view
    finally:
        if srv.poll() is None:
            os.killpg(srv.pid, 15)
            try: srv.wait(20)
            except subprocess.TimeoutExpired: os.killpg(srv.pid, 9)
    after = subprocess.run(status, cwd=ROOT, capture_output=True, text=True).stdout
    assert after == before, f'JupyterLab wrote into the notebooks folder (ignored files included):\n{after}'
