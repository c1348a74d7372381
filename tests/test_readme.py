"""The README as a newcomer reads it: a front page that fits on two screens (at most 120 lines before the first deep
section), a quick start of exactly the two commands, the demo's table in the form the demo writes it, and links
(files and #anchors, in the README and bench/README.md) that lead somewhere."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONT = ('The pipeline', 'Quick start', 'Words used here', 'Where to go next')

def _slug(heading:str) -> str:
    "GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."
    return re.sub(r'[^\w\- ]', '', heading.strip().lower()).replace(' ', '-')

def _sections(text:str) -> list[tuple[int, str]]:
    return [(i, m.group(2)) for i, line in enumerate(text.splitlines()) if (m := re.match(r'(#{2,3}) (.+)', line))]

def test_front_page_fits_two_screens():
    text = (ROOT/'README.md').read_text()
    first_deep = next(i for i, h in _sections(text) if h not in FRONT)
    assert first_deep <= 120, f'the front page runs to line {first_deep}'
    assert [h for _, h in _sections(text)][:len(FRONT)] == list(FRONT)

def test_quick_start_is_two_commands():
    text = (ROOT/'README.md').read_text()
    block = re.search(r'## Quick start\s+```bash\n(.*?)```', text, re.S).group(1)
    assert [line.split('#')[0].strip() for line in block.strip().splitlines()] == ['make demo', 'make test']
    table = re.search(r'\| metric \| generic \| personalized \|.*?\n\n', text, re.S).group(0)
    rows = [r for r in table.splitlines()[2:] if r.strip()]
    assert len(rows) == 5 and all(r.split('|')[-2].strip() in ('better', 'no difference', 'worse') for r in rows)

def test_links_lead_somewhere():
    for page in (ROOT/'README.md', ROOT/'bench'/'README.md'):
        text = page.read_text()
        for target in re.findall(r'\]\(([^)\s]+)\)', text):
            if target.startswith('http'): continue
            path, _, anchor = target.partition('#')
            dest = (page.parent/path).resolve() if path else page
            assert dest.exists(), f'{page.name}: link to a missing file {target}'
            if anchor:
                slugs = {_slug(h) for _, h in _sections(dest.read_text())}
                assert anchor in slugs, f'{page.name}: no heading for #{anchor} in {dest.name}'
