const { limitHeapGrowth } = await import('/work/main/build/src/engine/collect-garbage.js');
limitHeapGrowth();
const mode = process.argv[2];
const rss = () => (process.resourceUsage().maxRSS / 1024) | 0;
if (mode === 'lint') {
  const { lint } = await import('/work/main/build/src/index.js');
  await lint({ cwd: '/work/shared/corpus', paths: ['.'] });
  console.log('lint maxRSS', rss());
} else {
  const { runCli } = await import('/work/main/build/src/cli/main.js');
  const { lintProject } = await import('/work/main/build/src/engine/project.js');
  let out = 0;
  const code = await runCli(['.', '--format', 'text', '--fail-on', 'none'], { stdout: (t) => { out += t.length; }, stderr: () => {}, readStdin: async () => '', cwd: '/work/shared/corpus', env: {}, isTTY: false, stderrIsTTY: false });
  console.log('cli maxRSS', rss(), code, out);
}
