// Packs the package, installs the tarball into a fresh project, runs test/consumer.mjs there and type-checks
// test/usage.ts against the installed declarations. Fails (non-zero exit) on any difference.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd, args, cwd) => {
  try {
    return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  } catch (e) {
    process.stderr.write(e.stdout ?? '');
    throw e;
  }
};
const work = mkdtempSync(join(tmpdir(), 'orleanstabs-client-'));
try {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root));
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'package.json', 'src/orleanstabs.d.ts', 'src/orleanstabs.js']);

  const app = join(work, 'app');
  run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(work, packed.filename)], app);
  copyFileSync(join(root, 'test', 'consumer.mjs'), join(app, 'consumer.mjs'));
  copyFileSync(join(root, 'test', 'usage.ts'), join(app, 'usage.ts'));
  process.stdout.write(run('node', ['consumer.mjs'], app));

  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      noEmit: true, strict: true, types: [],
    },
    files: ['usage.ts'],
  }));
  run('node', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
  console.log(`${packed.filename}: ${files.length} files, installed, imported in node, types checked`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
