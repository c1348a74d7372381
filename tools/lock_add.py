"""Pin the packages a new requirement brought in, as pip resolved them against the lock (`pip install -c LOCK`), and
leave every existing pin as it is: `make lock-add` after adding a requirement to settings.ini. A full refresh of the
tested set is `make lock`. Usage: python tools/lock_add.py LOCK FREEZE (FREEZE: `pip freeze --exclude-editable`)."""
import datetime, re, sys
from pathlib import Path

def name(line:str) -> str: return re.sub(r'[-_.]+', '-', line.split('==')[0]).lower()

def main(lock:Path, freeze:Path) -> list[str]:
    lines = lock.read_text().splitlines()
    head, pins = [l for l in lines if l.startswith('#')], [l for l in lines if l.strip() and not l.startswith('#')]
    have = {name(l): l for l in pins}
    frozen = [l for l in freeze.read_text().splitlines() if '==' in l and not l.startswith(('-e', '#'))]
    changed = [l for l in frozen if name(l) in have and have[name(l)] != l]
    if changed: sys.exit(f'{lock}: the venv differs from the lock in {", ".join(changed)}; reinstall with make, or '
                         'refresh the whole set with `make lock`')
    new = [l for l in frozen if name(l) not in have]
    if new:
        # the freeze's order: existing pins keep their text and relative order
        body = [have.get(name(l), l) for l in frozen] + [l for l in pins if name(l) not in {name(f) for f in frozen}]
        note = f'# {datetime.date.today():%Y-%m-%d} `make lock-add`: {", ".join(new)}'
        lock.write_text('\n'.join(head + [note] + body) + '\n')
    return new

if __name__ == '__main__':
    new = main(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f'{sys.argv[1]}: ' + (f'pinned {len(new)} new package(s): {", ".join(new)}' if new else 'nothing new to pin'))
