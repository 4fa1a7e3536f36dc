import { execSync } from 'node:child_process';
import { test } from 'vitest';
import { kubectlKustomize, normalizeResources } from '../helpers/kustomize-oracle.js';
import { buildPlain } from './io.js';
const root = process.env.ROOT ?? '/work/shared/corpus';
test('compare', () => {
  const dirs = execSync(`cd ${root} && find . -name kustomization.yaml -o -name kustomization.yml -o -name Kustomization | sed 's#^./##; s#/[^/]*$##' | sort`, { encoding: 'utf8' }).trim().split('\n');
  for (const dir of dirs) {
    const mine = buildPlain(root, dir);
    const theirs = kubectlKustomize(`${root}/${dir}`);
    if (mine.ok && theirs.ok) {
      const a = normalizeResources(mine.documents), b = normalizeResources(theirs.documents);
      const same = JSON.stringify(a) === JSON.stringify(b);
      console.log(`${same ? 'SAME' : 'DIFF'} ${dir} (${a.length} vs ${b.length})`);
      if (!same) {
        const onlyA = a.filter((x) => !b.includes(x)), onlyB = b.filter((x) => !a.includes(x));
        console.log('  mine:', onlyA.slice(0, 2).map((s) => s.slice(0, 1500)).join('\n  '));
        console.log('  kubectl:', onlyB.slice(0, 2).map((s) => s.slice(0, 1500)).join('\n  '));
      }
    } else if (!mine.ok && !theirs.ok) console.log(`BOTHFAIL ${dir}: ${mine.error}`);
    else console.log(`MISMATCH ${dir}: mine=${mine.ok ? 'ok' : mine.error} kubectl=${theirs.ok ? 'ok' : theirs.error.slice(0, 300)}`);
  }
}, 600000);
