// `npm run bench -- <name> [options]` runs bench/<name>.ts through tsx with the options after it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const [name, ...rest] = process.argv.slice(2);
const list = () =>
  readdirSync('bench')
    .filter((f) => f.endsWith('.ts') && f !== 'common.ts')
    .map((f) => f.slice(0, -3));
if (!name || name === '--help') {
  console.log(`usage: npm run bench -- <name> [options]\nbenchmarks: ${list().join(', ')}`);
  process.exit(name ? 0 : 1);
}
const file = `bench/${name}.ts`;
if (!existsSync(file)) {
  console.error(`no benchmark "${name}"; have: ${list().join(', ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
