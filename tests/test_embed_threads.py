"""`embed_images` decodes the next batch in threads on the cores torch leaves free. With exactly one spare core (torch
on all cores but one, as in the demo's one-thread worker processes on 2 cores) it used to deadlock: the batch ahead
was assembled in the one-thread pool that it then asked to decode its images. Run in a child process with a time
limit, because a deadlocked pool also keeps its process from exiting."""
import subprocess, sys

CHILD = '''
import os, numpy as np, torch
from PIL import Image
from unittest import mock
from prpg.models import load_backbone, embed_images
from prpg.tiny import tiny_path
torch.set_num_threads(1)
bb = load_backbone('dinov2_vits14', weights=tiny_path('timm_dinov2'), image_size=56)
ims = [Image.fromarray(np.random.RandomState(i).randint(0, 255, (60, 60, 3), dtype=np.uint8)) for i in range(9)]
with mock.patch('os.cpu_count', return_value=2):                      # one spare core: one decoding thread
    e = embed_images(bb, ims, batch_size=2, precision='fp32')
torch.testing.assert_close(e, embed_images(bb, ims, batch_size=9, precision='fp32'), atol=1e-5, rtol=0)
print('ok', tuple(e.shape))
'''

def test_embed_images_with_one_decoding_thread_finishes():
    r = subprocess.run([sys.executable, '-c', CHILD], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.split() == ['ok', '(9,', '64)'], r.stderr[-2000:]
