/**
 * Issue 17 item 2: a run bigger than its text budget streams its texts (engine/scanned-source.ts):
 * each text is read again at its parse and dropped once its format is done, the models keep no
 * slice of a text (engine/detach-strings.ts), and the report is the one a run holding every text
 * gives.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { lint, makeSourceFile } from '../../src/engine/lint.js';
import { ScannedSource, SourceChangedError, WaitingTexts } from '../../src/engine/scanned-source.js';
import { detached, detachStrings } from '../../src/engine/detach-strings.js';
import { FormatDetector } from '../../src/formats/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const corpus = path.resolve(repo, '../shared/corpus');
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const scratch = () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'portwall-streaming-'));
  roots.push(root);
  return root;
};

/** Everything a report is made of. */
const report = (r: Awaited<ReturnType<typeof lint>>) => JSON.stringify({ findings: r.findings, files: r.files, notifications: r.notifications });

describe('ScannedSource', () => {
  it('drops its text, reads it again on use, and keeps its secrets and suppression marker meanwhile', () => {
    const text = 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: "s3cr3t-Value-42"\n    # portwall-ignore PW002: lab only\n';
    let reads = 0;
    const source = new ScannedSource('compose.yaml', '/repo/compose.yaml', text, () => {
      reads++;
      return text;
    });
    expect(source.index.lineText(5)).toBe('      POSTGRES_PASSWORD: "s3cr3t-Value-42"');
    source.release();
    expect(source.loaded).toBe(false);
    expect(source.secrets()).toEqual(['s3cr3t-Value-42']);
    expect(source.mayHoldDirectives()).toBe(true);
    expect(source.index.length).toBe(text.length);
    expect(reads).toBe(0);
    // The line starts went with the text: a position reads it again, once.
    expect(source.index.position(text.indexOf('s3cr3t')).line).toBe(5);
    expect(reads).toBe(1);
    expect(source.loaded).toBe(true);
    expect(source.index.lineText(2)).toBe('  db:');
    expect(source.text).toBe(text);
    expect(reads).toBe(1);
  });

  it('a text that comes back different is an error, never another text under the same positions', () => {
    const source = new ScannedSource('a.yaml', '/repo/a.yaml', 'a: 1\n', () => 'a: 12\n');
    source.release();
    expect(() => source.text).toThrow('a.yaml changed while portwall was checking it');
  });
});

describe('WaitingTexts', () => {
  it('keeps texts while they fit; the first that does not makes the run stream, and done drops texts only then', () => {
    const make = (name: string, size: number) => new ScannedSource(name, `/r/${name}`, 'x'.repeat(size), () => 'x'.repeat(size));
    const waiting = new WaitingTexts(10);
    const [a, b, c] = [make('a', 6), make('b', 4), make('c', 1)];
    waiting.wait(a);
    waiting.wait(b);
    waiting.done(a);
    expect([a.loaded, b.loaded, waiting.streaming]).toEqual([true, true, false]);
    waiting.wait(c);
    expect([c.loaded, waiting.streaming]).toEqual([false, true]);
    waiting.done(a);
    expect(a.loaded).toBe(false);
    // a's characters are given back: a text of 6 fits again.
    const d = make('d', 6);
    waiting.wait(d);
    expect(d.loaded).toBe(true);
    // Texts given as strings (stdin, an editor's buffer) cannot be read again: they stay.
    const stdin = makeSourceFile('<stdin>', 'x'.repeat(50));
    waiting.wait(stdin);
    waiting.done(stdin);
    expect(stdin.text.length).toBe(50);
  });
});

describe('detachStrings', () => {
  it('copies every string of plain objects and arrays, once each, and leaves other objects alone', () => {
    const text = 'x'.repeat(100) + 'elasticsearch-primary-node' + 'y'.repeat(100);
    const name = text.slice(100, 126);
    const location = { file: 'compose.yaml', region: { startLine: 1 } };
    const map = new Map([['k', name]]);
    const model = { workloads: [{ name, ports: [name, 9200], location }], exposures: [{ subject: `${name}:9200`, location }], map };
    (model as Record<string, unknown>).self = model;
    detachStrings(model);
    expect(model.workloads[0]!.name).toBe('elasticsearch-primary-node');
    expect(model.workloads[0]!.ports).toEqual(['elasticsearch-primary-node', 9200]);
    expect(model.exposures[0]!.subject).toBe('elasticsearch-primary-node:9200');
    expect(model.exposures[0]!.location).toBe(model.workloads[0]!.location);
    expect(map.get('k')).toBe(name);
    expect(detached('short')).toBe('short');
    expect(detached(name)).toBe(name);
  });
});

describe('FormatDetector', () => {
  it('names the first format that takes a file and the detects before it that threw, loading a lazy format on the first file it may take', async () => {
    const detector = new FormatDetector();
    const compose = await detector.detect(makeSourceFile('docker-compose.yml', 'services:\n  a:\n    image: x\n'));
    const tf = await detector.detect(makeSourceFile('main.tf', 'resource "aws_security_group" "a" {}\n'));
    const none = await detector.detect(makeSourceFile('README.md', '# hello\n'));
    const formats = detector.formats();
    const at = (id: string) => formats.findIndex((f) => f.id === id);
    expect([compose, tf, none]).toEqual([{ first: at('compose') }, { first: at('terraform') }, { first: formats.length }]);
    // Terraform loaded (a .tf file came), Helm did not (no Chart.yaml).
    expect(() => formats[at('terraform')]!.parse(makeSourceFile('main.tf', ''))).not.toThrow();
    expect(() => formats[at('helm')]!.parse(makeSourceFile('Chart.yaml', ''))).toThrow('was not loaded');
    // A detect that throws is remembered for the engine to report, and the next formats are asked.
    const composeFormat = formats[at('compose')]!;
    const original = composeFormat.detect;
    composeFormat.detect = () => {
      throw new Error('boom');
    };
    try {
      const d = await detector.detect(makeSourceFile('docker-compose.yml', 'services:\n  a:\n    image: x\n'));
      expect(d.first).toBe(formats.length);
      expect([...d.threw!.entries()].map(([i, e]) => [i, (e as Error).message])).toEqual([[at('compose'), 'boom']]);
    } finally {
      composeFormat.detect = original;
    }
  });
});

describe('a streaming run', () => {
  const trees = [
    path.join(repo, 'examples'),
    path.join(repo, 'test/helm/fixtures'),
    path.join(repo, 'test/kustomize/fixtures'),
    path.join(repo, 'test/terraform/fixtures'),
  ];

  it('reports what a run holding every text reports, on the examples and the Helm, Kustomize and Terraform fixtures', async () => {
    for (const tree of trees) {
      const held = await lint({ cwd: tree, paths: ['.'] });
      const streamed = await lint({ cwd: tree, paths: ['.'], textBudget: 0 });
      expect(held.findings.length).toBeGreaterThan(0);
      expect(report(streamed)).toBe(report(held));
    }
  });

  it.skipIf(!existsSync(corpus))('reports what a run holding every text reports, on the corpus', async () => {
    const held = await lint({ cwd: corpus, paths: ['.'] });
    const streamed = await lint({ cwd: corpus, paths: ['.'], textBudget: 1024 * 1024 });
    expect(held.findings.length).toBeGreaterThan(900);
    expect(report(streamed)).toBe(report(held));
  }, 120_000);

  it('a file changed between its detection and its parse ends the run (exit 2), never a silent pass', async () => {
    const root = scratch();
    const file = path.join(root, 'docker-compose.yml');
    writeFileSync(file, 'services:\n  es:\n    image: elasticsearch:8.13.0\n    ports: ["127.0.0.1:9200:9200"]\n');
    const changing = { cwd: root, paths: ['.'], textBudget: 0, onProgress: (p: { phase: string; file?: string }) => {
      if (p.phase === 'parse' && p.file === 'docker-compose.yml') writeFileSync(file, 'services:\n  es:\n    image: elasticsearch:8.13.0\n    ports: ["0.0.0.0:19200:19200"]\n');
    } };
    await expect(lint(changing)).rejects.toThrow(new SourceChangedError('docker-compose.yml'));
    // The same version read again is no change.
    writeFileSync(file, 'services:\n  es:\n    image: elasticsearch:8.13.0\n    ports: ["0.0.0.0:9200:9200"]\n');
    const again = await lint({ cwd: root, paths: ['.'], textBudget: 0 });
    expect(again.findings.map((f) => [f.ruleId, f.location.file, f.location.region.startLine, f.location.region.startColumn])).toEqual([['PW002', 'docker-compose.yml', 4, 13]]);
  });

  it('holds no text once its format is done: 24 MB of compose files cost their models, not their texts', () => {
    // In a fresh process with --expose-gc: the live heap at the last progress point (Terraform's
    // adapt, after compose is done), holding every text and streaming. Long service names put
    // slices of each text into the model (subjects, labels): without detachStrings they keep it all.
    const root = scratch();
    mkdirSync(path.join(root, 'stacks'));
    const comment = `# ${'padding so that the text is much bigger than its model '.repeat(20)}\n`.repeat(400);
    for (let i = 0; i < 48; i++) {
      writeFileSync(path.join(root, 'stacks', `docker-compose.${i}.yml`), `services:\n  elasticsearch-primary-node-${i}:\n    image: elasticsearch:8.13.0\n    ports: ["9200:9200"]\n${comment}`);
    }
    writeFileSync(path.join(root, 'main.tf'), 'resource "aws_security_group" "web" {\n  ingress {\n    from_port = 443\n    to_port = 443\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n');
    const probe = (budget: number) => `
      const { lint } = await import(${JSON.stringify(pathToFileURL(path.join(repo, 'build/src/engine/lint.js')).href)});
      let last = 0;
      const result = await lint({ cwd: ${JSON.stringify(root)}, paths: ['.'], textBudget: ${budget}, onProgress: (p) => { if (p.phase === 'adapt') { globalThis.gc(); last = process.memoryUsage().heapUsed; } } });
      console.log(JSON.stringify({ last, findings: result.findings.length }));
    `;
    const run = (budget: number) => JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', probe(budget)], { encoding: 'utf8' })) as { last: number; findings: number };
    const held = run(64 * 1024 * 1024);
    const streamed = run(1024 * 1024);
    expect(streamed.findings).toBe(held.findings);
    expect(held.findings).toBe(48);
    expect(held.last - streamed.last).toBeGreaterThan(18 * 1024 * 1024);
  }, 60_000);
});
