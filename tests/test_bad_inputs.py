"""A corpus of bad inputs a hostile or careless user gives prpg: broken CSVs, damaged adapters and checkpoints, names
that escape their folder, images that cannot or should not be decoded, outputs that cannot be written. Each case
asserts the exit code (2 for errors; 1 only for `check-data` findings), one line on stderr naming the file or key, no
traceback, and that nothing under the working folder was written or changed (bad values on the command line are in
tests/test_safety.py)."""
import json, os, shutil, subprocess, sys, warnings
from pathlib import Path

import pytest
from PIL import Image

from prpg.data import load_dataset
from prpg.demo_data import DemoConfig, build_demo
from prpg.tiny import tiny_path
from prpg.triplets import TripletConfig, make_triplets

from cli_fork import run_prpg

PRPG = str(Path(sys.executable).parent/'prpg')
TRAIN = ['--backbone', 'dinov2_vits14', '--weights', str(tiny_path('timm_dinov2')), '--image_size', '56', '--batch_size', '4',
         '--epochs', '1', '--lora.r', '2', '--out_root', 'runs', '--progress', 'false']

def prpg(cwd, *args):
    env = {**os.environ, 'PRPG_HOME': str(Path(cwd)/'home')}
    r = run_prpg(args, cwd=cwd, env=env)          # a fresh process forked after prpg's imports (cli_fork)
    return r.returncode, r.stdout, r.stderr

def real_prpg(cwd, *args):
    "The console script itself, as a new process."
    env = {**os.environ, 'PRPG_HOME': str(Path(cwd)/'home')}
    r = subprocess.run([PRPG, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env)
    return r.returncode, r.stdout, r.stderr

def listing(root:Path) -> dict:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob('*'))
            if not p.name.endswith('.lock') and 'home' not in p.relative_to(root).parts[:1]}

@pytest.fixture(scope='module')
def world(tmp_path_factory):
    "A small demo dataset, its triplets (relative paths inside), and one finished, evaluated-ready run."
    w = tmp_path_factory.mktemp('world')
    ds = load_dataset(build_demo(DemoConfig(seed=3, categories=['mug', 'shoe'], instances_per_category=2, n_test_per_shift=1,
                                            n_dense_per_shift=1, n_negatives=3, width=48, height=48), w/'demo', progress=False))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        make_triplets(ds, ds.instances[0], w/'t.csv', TripletConfig(num_triplets=8, positives='real'))
    code, out, err = prpg(w, 'train', '--triplets', 't.csv', *TRAIN)
    assert code == 0, err
    return w

@pytest.fixture
def here(world, tmp_path):
    "A private copy of the world to break."
    shutil.copytree(world, tmp_path/'w', symlinks=True)
    return tmp_path/'w'

def run_dir(w:Path) -> Path: return next(p for p in (w/'runs').iterdir() if p.is_dir())

def _csv(w, body):                                  # a triplet CSV with the header and these rows
    (w/'bad.csv').write_text('id,label,ref_path,left_path,right_path\n' + body)
    return ['train', '--triplets', 'bad.csv', *TRAIN]

def _img(w, k=0): return sorted((w/'demo'/'train').rglob('*.png'))[k].relative_to(w)

class _Evil:                                        # unpickling this would create `pwned`
    def __reduce__(self): return (os.system, ('touch pwned',))

def _pickle(p:Path):
    import torch; torch.save({'w': _Evil()}, p)

def _truncate(p:Path, keep=0.5): b = p.read_bytes(); p.write_bytes(b[:int(len(b) * keep)])

def _bomb(w):
    Image.new('L', (20000, 20000)).save(w/'demo'/'train'/load_dataset(w/'demo').instances[0]/'99.png', optimize=True)

def _info(w, f):
    p = next((w/'demo').glob('*_info.json')); d = json.loads(p.read_text()); f(d); p.write_text(json.dumps(d))

def _mudi_escape(w):
    "A Seg-Mix folder whose metadata.jsonl points at a file outside it."
    (w/'md').mkdir()
    (w/'md'/'metadata.jsonl').write_text('{"id": {"a": "olis mug", "b": "hta mug"}}\n{"id": "a", "file_name": '
                                         '"../demo/info.json", "mask_path": "m.png", "text": "t"}\n')

def _grid(w, text):                                 # a sweep over a placeholder notebook with this grid file
    (w/'nb.ipynb').write_text('{}'); (w/'grid.yaml').write_text(text)
    return ['sweep', '--notebook', 'nb.ipynb', '--grid', 'grid.yaml', '--out', 'sw']

PAYLOAD = "x = 1\nopen('PWNED','w').write('x')\ny"
ALIAS_BOMB = ''.join(f'{c}: &{c} [' + ','.join([f'*{p}'] * 9 if p else ['"x"'] * 9) + ']\n'
                     for p, c in zip(['', *'abcdef'], 'abcdefg'))

def _rename_adapter(w):                            # tensor names that match no LoRA layer of the backbone
    from safetensors.torch import load_file, save_file
    p = run_dir(w)/'adapter'/'adapter_model.safetensors'
    save_file({k.replace('lora_A', 'lora_Z'): v for k, v in load_file(p).items()}, p)

def _edit_config(w, key, value):
    import yaml
    p = run_dir(w)/'config.yaml'; d = yaml.safe_load(p.read_text()); d[key] = value; p.write_text(yaml.safe_dump(d))

def _synthetic_root_gone(w):
    return ['triplets', '--data_root', 'demo', '--out_dir', 'tr', '--synthetic_root', 'nowhere']

def _mudi_list_id(w):
    "A Seg-Mix folder whose photo line names its subject with a list."
    (w/'md').mkdir()
    (w/'md'/'metadata.jsonl').write_text('{"id": {"a": "olis mug", "b": "hta mug"}}\n{"id": ["a"], "file_name": '
                                         '"p.png", "mask_path": "m.png", "text": "t"}\n')

def _dc(w, subjects):                              # detect-compare over the demo's first train folder
    return ['detect-compare', '--images', str(next((w/'demo'/'train').iterdir()).relative_to(w)), '--subjects', subjects]

def _small_mask(w):                                 # the first train mask saved at half its photo's size
    m = sorted((w/'demo'/'train_masks').rglob('*.png'))[0]
    im = Image.open(m); im.resize((im.width // 2, im.height // 2)).save(m)

def _segmix_small_mask(w):                         # subjects given with a masks folder, one mask at half size
    _small_mask(w)
    a, b = sorted((w/'demo'/'train_masks').iterdir())[:2]
    subj = lambda m: f"{{name: {m.name}, photos: [demo/train/{m.name}], class_noun: mug, masks: {m.relative_to(w)}}}"
    return ['generate', 'segmix', '--subjects', f'[{subj(a)}, {subj(b)}]', '--data', 'smx']

def _negative_of_t(w):                              # an image the world's triplets use
    from prpg.triplets import read_triplets
    return read_triplets(w/'t.csv')[0].negative

CASES = {   # name: (break the world, command line, exit code, what the one line must contain)
    'csv id not an integer': (lambda w: _csv(w, f'x7,0,{_img(w)},{_img(w, 1)},{_img(w, 2)}\n'), None, 2, "bad.csv: row 2: id must be an integer, got 'x7'"),
    'csv short row': (lambda w: _csv(w, f'0,0,{_img(w)},{_img(w, 1)}\n'), None, 2, 'bad.csv: row 2: right_path is empty'),
    'csv duplicate ids': (lambda w: _csv(w, ''.join(f'1,0,{_img(w)},{_img(w, 1)},{_img(w, 2)}\n' for _ in range(4))), None, 2, 'bad.csv: row 3: id 1 repeats row 2'),
    'csv label 2': (lambda w: _csv(w, f'0,2,{_img(w)},{_img(w, 1)},{_img(w, 2)}\n'), None, 2, 'bad.csv: row 2: label must be 0 or 1'),
    'csv missing images': (lambda w: _csv(w, '0,0,a.png,b.png,c.png\n'), None, 2, 'bad.csv: 3 referenced image(s) do not exist'),
    'csv missing column': (lambda w: (w/'bad.csv').write_text('id,label,ref_path\n0,0,a\n'), ['train', '--triplets', 'bad.csv', *TRAIN], 2, 'bad.csv: missing column(s) left_path, right_path'),
    'csv not utf-8': (lambda w: (w/'bad.csv').write_bytes(b'\xff\xfe\x00i\x00d'), ['train', '--triplets', 'bad.csv', *TRAIN], 2, 'bad.csv: not a UTF-8 CSV file'),
    'triplets file missing': (None, ['train', '--triplets', 'nope.csv', *TRAIN], 2, 'nope.csv: triplet file not found'),
    'weights folder missing': (None, ['train', '--triplets', 't.csv', *TRAIN, '--weights', '/nope'], 2, '/nope'),
    'out_root under a file': (lambda w: (w/'afile').write_text('x'), ['train', '--triplets', 't.csv', *TRAIN, '--out_root', 'afile/runs'], 2, 'out_root: afile/runs cannot be made: '),
    'checkpoint truncated': (lambda w: ((run_dir(w)/'done.json').unlink(), _truncate(run_dir(w)/'checkpoints'/'last.safetensors')), ['train', '--triplets', 't.csv', *TRAIN], 2, 'last.safetensors: not a valid prpg checkpoint'),
    'checkpoint is a pickle': (lambda w: ((run_dir(w)/'done.json').unlink(), (run_dir(w)/'checkpoints'/'last.safetensors').rename(run_dir(w)/'checkpoints'/'last.pt')), ['train', '--triplets', 't.csv', *TRAIN], 2, 'last.pt: a pickle checkpoint'),
    'adapter weights truncated': (lambda w: _truncate(run_dir(w)/'adapter'/'adapter_model.safetensors'), 'evaluate', 2, 'adapter_model.safetensors: not a readable safetensors file'),
    'adapter is a pickle': (lambda w: _pickle(run_dir(w)/'adapter'/'adapter_model.safetensors'), 'evaluate', 2, 'adapter_model.safetensors: not a readable safetensors file'),
    'adapter pickle .bin instead': (lambda w: (_pickle(run_dir(w)/'adapter'/'adapter_model.bin'), (run_dir(w)/'adapter'/'adapter_model.safetensors').unlink()), 'evaluate', 2, 'adapter_model.safetensors: missing'),
    'adapter weights missing': (lambda w: (run_dir(w)/'adapter'/'adapter_model.safetensors').unlink(), 'evaluate', 2, 'adapter_model.safetensors: missing'),
    'adapter config truncated': (lambda w: _truncate(run_dir(w)/'adapter'/'adapter_config.json'), 'evaluate', 2, 'adapter_config.json: not valid JSON'),
    'adapter config not peft': (lambda w: (run_dir(w)/'adapter'/'adapter_config.json').write_text('{"r": 2}'), 'evaluate', 2, 'adapter_config.json: not a peft adapter config'),
    'backbone record damaged': (lambda w: (run_dir(w)/'adapter'/'prpg_backbone.json').write_text('[1]'), 'evaluate', 2, 'prpg_backbone.json: not a prpg backbone record'),
    'run unfinished': (lambda w: (run_dir(w)/'done.json').unlink(), 'evaluate', 2, 'has not finished training'),
    'run dataset gone': (lambda w: (run_dir(w)/'data.json').write_text(json.dumps({**json.loads((run_dir(w)/'data.json').read_text()), 'dataset': '/nowhere/demo', 'dataset_relative': '../../nowhere'})), 'evaluate', 2, '/nowhere/demo: dataset folder not found'),
    'run folder missing': (None, ['evaluate', '--run', 'runs/nope'], 2, 'runs/nope: run folder not found'),
    'report before evaluate': (None, 'report', 2, 'not evaluated yet'),
    'config not yaml': (lambda w: (w/'c.yaml').write_text('lr: [1, 2\n'), ['train', '--config', 'c.yaml'], 2, "c.yaml: not valid YAML (expected ',' or ']', but got '<stream end>' at line 2, column 1)"),
    'config python tag': (lambda w: (w/'c.yaml').write_text('lr: !!python/object/apply:os.system ["touch pwned"]\n'), ['train', '--config', 'c.yaml'], 2, "python/object/apply:os.system' is refused"),
    'config missing': (None, ['train', '--config', 'nope.yaml'], 2, 'nope.yaml: config file not found'),
    'config a list': (lambda w: (w/'c.yaml').write_text('- 1\n- 2\n'), ['train', '--config', 'c.yaml'], 2, 'c.yaml: expected key: value pairs'),
    'instance name escapes (cutpaste)': (None, ['generate', 'cutpaste', '--data_root', 'demo', '--out', 'syn', '--instances', '["../../x"]'], 2, "no instance '../../x'"),
    'instance name escapes (triplets)': (None, ['triplets', '--data_root', 'demo', '--out_dir', 'tr', '--instances', '["../x"]'], 2, "instance '../x' contains a path separator"),
    'class name escapes (triplets)': (lambda w: _info(w, lambda d: (d['classes'].append('../../escape'), d['class_to_sc'].update({'../../escape': 'mug'}))), ['triplets', '--data_root', 'demo', '--out_dir', 'tr'], 2, "class name '../../escape' contains a path separator"),
    'class name escapes (check-data)': (lambda w: _info(w, lambda d: (d['classes'].append('../../escape'), d['class_to_sc'].update({'../../escape': 'mug'}))), ['check-data', 'demo'], 1, "class name '../../escape' contains a path separator"),
    'broken train photo (triplets)': (lambda w: next((w/'demo'/'train').rglob('*.png')).write_bytes(b'\x89PNG broken'), ['triplets', '--data_root', 'demo', '--out_dir', 'tr'], 2, 'not a readable image'),
    'decompression bomb (check-data)': (_bomb, ['check-data', 'demo'], 1, '99.png: image too large to decode safely'),
    'decompression bomb (cutpaste)': (_bomb, ['generate', 'cutpaste', '--data_root', 'demo', '--out', 'syn'], 2, '99.png: image too large to decode safely'),
    'HEIC photo (triplets)': (lambda w: (next((w/'demo'/'train').rglob('*.png')).parent/'x.heic').write_bytes(b'ftypheic'), ['triplets', '--data_root', 'demo', '--out_dir', 'tr'], 2, 'x.heic: HEIC photos cannot be read'),
    'negatives base missing': (None, ['generate', 'negatives', '--base', '/nope', '--category', 'mug'], 2, '/nope'),
    'demo-data into /proc': (None, ['demo-data', '/proc/x'], 2, 'out: /proc/x is not writable'),
    'masks of no dataset': (None, ['generate', 'masks', '--data_root', 'nowhere'], 2, 'nowhere: dataset folder not found'),
    'instance name escapes (scenes)': (None, ['generate', 'scenes', '--data_root', 'demo', '--out', 'sc', '--instances', '["../../x"]'], 2, "no instance '../../x'"),
    'MuDI metadata names a file outside its folder (segmix)': (_mudi_escape, ['generate', 'segmix', '--data', 'md'], 2, "'../demo/info.json' points outside"),
    'one subject (segmix)': (None, ['generate', 'segmix', '--data_root', 'demo', '--instances', '["only_one"]'], 2, 'two or more instances'),
    'grid key runs code (sweep)': (lambda w: _grid(w, json.dumps({PAYLOAD: [1, 2]})), None, 2, 'is not a parameter name'),
    'grid key a statement (sweep)': (lambda w: _grid(w, '"import os; os.system(\'touch pwned\')": 1\n'), None, 2, 'is not a parameter name'),
    'grid key a keyword (sweep)': (lambda w: _grid(w, 'lambda: [1]\n'), None, 2, "key 'lambda' is not a parameter name"),
    'grid value an object (sweep)': (lambda w: _grid(w, 'x: [{a: 1}]\n'), None, 2, 'grid: x: a value is a dict'),
    'grid of 10^12 points (sweep)': (lambda w: _grid(w, ''.join(f'k{i}: [0,1,2,3,4,5,6,7,8,9]\n' for i in range(12))), None, 2, '1,000,000,000,000 points is more than'),
    'grid alias bomb (sweep)': (lambda w: _grid(w, ALIAS_BOMB), None, 2, 'grid.yaml: expands to more than'),
    'grid sets out (sweep)': (lambda w: _grid(w, 'out: /tmp/elsewhere\n'), None, 2, "key 'out' is set by the sweep"),
    'grid value twice (sweep)': (lambda w: _grid(w, 'seed: [0, 0]\n'), None, 2, 'seed lists a value twice'),
    'config key twice': (lambda w: (w/'c.yaml').write_text('lr: 0.1\nepochs: 1\nlr: 0.2\n'), ['train', '--config', 'c.yaml'], 2, "c.yaml: not valid YAML (the key 'lr' is given twice at line 3"),
    'config not utf-8': (lambda w: (w/'c.yaml').write_bytes(b'lr: 0.1\nname: caf\xe9\n'), ['train', '--config', 'c.yaml'], 2, 'c.yaml: not UTF-8 text (byte 17)'),
    'config 100,000 brackets deep': (lambda w: (w/'c.yaml').write_text('[' * 100000), ['train', '--config', 'c.yaml'], 2, 'c.yaml: nested too deeply'),
    'config 5,000 mappings deep': (lambda w: (w/'c.yaml').write_text('a: ' + '{a: ' * 5000 + '1' + '}' * 5000 + '\n'), ['train', '--config', 'c.yaml'], 2, 'c.yaml: nested too deeply'),
    'pipeline out inside its dataset': (None, ['pipeline', '--data_root', 'demo', '--out', 'demo/train/runs'], 2, 'out: demo/train/runs is inside the data_root folder demo'),
    'cutpaste out is its dataset': (None, ['generate', 'cutpaste', '--data_root', 'demo', '--out', 'demo'], 2, 'out: demo is the data_root folder demo'),
    'data_root empty': (None, ['generate', 'cutpaste', '--data_root', '', '--out', 'syn'], 2, "data_root: expected a path or none, got ''"),
    'adapter tensors renamed': (_rename_adapter, 'evaluate', 2, 'its tensors are not the LoRA weights of this backbone'),
    'run config image size edited': (lambda w: _edit_config(w, 'image_size', 112), 'evaluate', 2, "config.yaml: image_size is 112 but the adapter was trained with 56"),
    'run config embedding edited': (lambda w: _edit_config(w, 'embedding', 'cls'), 'evaluate', 2, "embedding is 'cls' but the adapter was trained with"),
    'synthetic root missing (triplets)': (_synthetic_root_gone, None, 2, 'synthetic_root: nowhere'),
    'MuDI subject id a list (segmix)': (_mudi_list_id, ['generate', 'segmix', '--data', 'md'], 2, "line 2: id ['a'] is not in line 1"),
    'segmix subject unknown key': (None, ['generate', 'segmix', '--subjects', '[{name: a, photos: [x], bogus: 1}, {name: b, photos: [y]}]'], 2, "subjects[0]: unknown key 'bogus' for SubjectSpec"),
    'scene template unknown placeholder': (None, ['generate', 'segmix-scenes', '--run', 'demo', '--subject', 'a', '--scenes.templates', '["a {a} and {c}"]'], 2, "names {c}; a template may name only {a} and {b}"),
    'detect-compare subject unknown key': (lambda w: _dc(w, '[{query: a, refs: x, bogus: 1}, {query: b, refs: y}]'), None, 2, "subjects[0]: unknown key 'bogus'"),
    'detect-compare query a list': (lambda w: _dc(w, '[{query: [a], refs: x}, {query: b, refs: y}]'), None, 2, 'subjects[0]: query must be text'),
    'detect-compare alias bomb': (lambda w: _dc(w, '[{query: a, refs: x, zz: [&a [1,1,1,1,1,1,1,1,1], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e,*e], [*f,*f,*f,*f,*f,*f,*f,*f,*f]]}, {query: b, refs: y}]'), None, 2, 'subjects: expands to more than 200,000 values'),
    'mask of another size (cutpaste)': (_small_mask, ['generate', 'cutpaste', '--data_root', 'demo', '--out', 'syn'], 2, 'mask is 24x24 but its image'),
    'mask of another size (scenes)': (_small_mask, ['generate', 'scenes', '--data_root', 'demo', '--out', 'sc'], 2, 'mask is 24x24 but its image'),
    'mask of another size (segmix)': (_segmix_small_mask, None, 2, 'mask is 24x24 but its image'),
    'broken image, DataLoader workers (train)': (lambda w: _negative_of_t(w).write_bytes(b'\x89PNG broken'), ['train', '--triplets', 't.csv', *TRAIN, '--num_workers', '2'], 2, 'not a readable image'),
    'detect-compare of no folder': (None, ['detect-compare', '--images', 'nowhere', '--subjects', '[{query: a, refs: x}, {query: b, refs: y}]'], 2, "images: 'nowhere' is not a folder"),
}

@pytest.mark.parametrize('name', list(CASES))
def test_bad_input_is_one_line_and_changes_nothing(here, name):
    breaks, cmd, code_wanted, says = CASES[name]
    made = breaks(here) if breaks else None
    if cmd is None: cmd = made
    elif cmd == 'evaluate': cmd = ['evaluate', '--run', run_dir(here).relative_to(here), '--dense_tasks', 'false']
    elif cmd == 'report': cmd = ['report', run_dir(here).relative_to(here)]
    before = listing(here)
    code, out, err = prpg(here, *cmd)
    lines = err.strip().splitlines()
    assert code == code_wanted, (code, err[-2000:])
    if code == 2:
        assert len(lines) == 1 and says in lines[0], err[-2000:]
    else:
        assert says in out and err.strip() == '', (out[-2000:], err[-2000:])
    assert 'Traceback' not in err and not (here/'pwned').exists() and not (here/'PWNED').exists()
    assert listing(here) == before                                  # nothing written, moved or changed

def test_corpus_is_large_enough():
    from test_safety import BAD_ARGS
    assert len(CASES) + len(BAD_ARGS) + 2 >= 45                     # + the planted checkpoint and the --overwrite cases

def test_evaluate_works_from_another_directory(world, tmp_path):
    "data.json records the dataset's absolute path: a run trained with relative paths evaluates from anywhere."
    w = tmp_path/'w'; shutil.copytree(world, w, symlinks=True)
    run = run_dir(w)
    assert Path(json.loads((run/'data.json').read_text())['dataset']).is_absolute()
    elsewhere = tmp_path/'elsewhere'; elsewhere.mkdir()
    code, out, err = real_prpg(elsewhere, 'evaluate', '--run', run, '--dense_tasks', 'false')
    assert code == 0, err
    moved = tmp_path/'moved'; shutil.move(w, moved)                 # run and data moved together: the relative path
    code, out, err = prpg(elsewhere, 'evaluate', '--run', run_dir(moved), '--dense_tasks', 'false')
    assert code == 0, err

def test_report_refuses_what_does_not_add_up(world, tmp_path):
    """A report counts each instance once and reads only results as prpg wrote them: the same run twice, or a copy of
    it, is refused; results whose numbers were edited (or that carry no digest) are refused by the report, and
    `evaluate` recomputes them with a notice instead of reusing them."""
    w = tmp_path/'w'; shutil.copytree(world, w, symlinks=True)
    run = run_dir(w).relative_to(w)
    code, out, err = prpg(w, 'evaluate', '--run', run, '--dense_tasks', 'false')
    assert code == 0, err
    shutil.copytree(w/run, w/'runs'/'copy')
    for args in ([run, run], [run, 'runs/copy']):
        before = listing(w)
        code, out, err = prpg(w, 'report', *args, '--out', 'rep')
        assert code == 2 and len(err.strip().splitlines()) == 1 and "are both instance" in err, err
        assert listing(w) == before
    f = w/run/'eval'/'results.json'
    good = json.loads(f.read_text())
    edited = {**good, 'models': {**good['models'], 'personalized': {**good['models']['personalized'],
                                                                   'classification_ap': 0.999}}}
    for bad, says in ((edited, 'digest mismatch'), ({k: v for k, v in good.items() if k != 'digest'}, 'older prpg')):
        f.write_text(json.dumps(bad))
        code, out, err = prpg(w, 'report', run, '--out', 'rep')
        assert code == 2 and says in err and str(f.relative_to(w)) in err, err
        code, out, err = prpg(w, 'evaluate', '--run', run, '--dense_tasks', 'false')
        assert code == 0, err                                            # evaluated anew, digest and all
        now = json.loads(f.read_text())
        assert now['models']['personalized']['classification_ap'] == good['models']['personalized']['classification_ap']
        assert now['digest'] == good['digest']
    code, out, err = prpg(w, 'report', run, '--out', 'rep')
    assert code == 0, err

def test_generate_dreambench_writes_only_under_out(world, tmp_path):
    "Its generators' runs and image pools go to OUT/.work (hidden from scoring), not ./runs of the working folder."
    w = tmp_path/'w'; shutil.copytree(world, w, symlinks=True)
    before = {p.name for p in w.iterdir()}
    inst = load_dataset(w/'demo').instances[0]
    code, out, err = prpg(w, 'generate', 'dreambench', '--data_root', 'demo', '--out', 'db', '--cutpaste.size', '[32, 32]',
                          '--instances', f'[{inst}]')
    assert code == 0, err
    new = {p.name for p in w.iterdir()} - before
    assert {n for n in new if not n.endswith(('.lock', '.lock.json'))} == {'db'}, new
    assert (w/'db'/'.work').is_dir() and len(list((w/'db'/inst).glob('*.png'))) >= 1
