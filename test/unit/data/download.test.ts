// The dataset downloader against a local HTTP server (through the mirror option): files and
// SOURCE.md, checks (sha256, size, HTTP status, network), redirects, cancel, zip members,
// refusing to overwrite, and loading the result with loadDataset.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { loadDataset } from '../../../src/data/dataset.js';
import { parseDatasetSpec } from '../../../src/data/spec.js';
import {
  AlreadyDownloadedError,
  CATALOG,
  catalogEntry,
  DownloadCancelledError,
  DownloadError,
  downloadDataset,
  fetchFile,
  isSafeMemberName,
  MIRROR_ENV,
  mirroredUrl,
  overallFraction,
  resolveMirror,
  SOURCE_FILE,
  specFor,
  type DatasetEntry,
  type DownloadProgress,
} from '../../../src/data/download/index.js';
import { InputError } from '../../../src/util/errors.js';
import { fixture } from './helpers.js';
import {
  bytesRoute,
  redirectRoute,
  slowRoute,
  startServer,
  truncatedRoute,
  type TestServer,
} from './downloadServer.js';

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const read = (p: string): Buffer => readFileSync(p);

const TRAIN = read(fixture('lightgcn', 'train.txt'));
const TEST = read(fixture('lightgcn', 'test.txt'));
const U_DATA = read(fixture('movielens', 'u.data'));
const KG = ['ratings_final.txt', 'kg_final.txt', 'item_index2entity_id.txt'].map((n) => ({
  name: n,
  bytes: read(fixture('lastfm-kg', n)),
}));
const ZIP = zipSync({
  'ml-toy/u.data': U_DATA,
  'ml-toy/README': strToU8('toy readme\n'),
  'ml-toy/u1.base': strToU8('not kept\n'),
});
const EVIL_ZIP = zipSync({ 'ml-toy/u.data': U_DATA, '../evil.txt': strToU8('escaped\n') });
const WRONG = Buffer.from(TRAIN.toString().replace('0 0 1 2', '0 0 1 3')); // same length

const H = 'https://example.test';
let server: TestServer;
const serverReady = startServer({
  '/example.test/lg/train.txt': bytesRoute(TRAIN),
  '/example.test/lg/test.txt': bytesRoute(TEST),
  '/example.test/moved/test.txt': redirectRoute('/m/example.test/lg/test.txt'),
  '/example.test/ml/ml-toy.zip': bytesRoute(ZIP),
  '/example.test/ml/evil.zip': bytesRoute(EVIL_ZIP),
  '/example.test/wrong/train.txt': bytesRoute(WRONG),
  '/example.test/short/train.txt': bytesRoute(TRAIN.subarray(0, 10)),
  '/example.test/chunked/train.txt': bytesRoute(Buffer.concat([TRAIN, TRAIN]), { chunked: true }),
  '/example.test/cut/train.txt': truncatedRoute(1000, 10),
  '/example.test/slow/big.bin': slowRoute(40, 4096, 25),
  ...Object.fromEntries(KG.map((f) => [`/example.test/kg/${f.name}`, bytesRoute(f.bytes)])),
}).then((s) => (server = s));

const roots: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'reclab-download-'));
  roots.push(d);
  return d;
}
after(async () => {
  await server?.close();
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function entry(id: string, files: DatasetEntry['files'], spec: DatasetEntry['spec']): DatasetEntry {
  return {
    id,
    title: `Toy ${id}`,
    summary: 'a few users and items',
    files,
    homepage: 'https://example.test/home',
    origin: 'https://example.test/origin',
    licence: 'Toy licence: tests only.',
    licenceShort: 'tests only',
    citation: 'A. Author. 2024. Toy Data. Journal of Tests.',
    spec,
  };
}

const LG = entry(
  'toy-lightgcn',
  [
    { url: `${H}/lg/train.txt`, name: 'train.txt', bytes: TRAIN.length, sha256: sha(TRAIN) },
    { url: `${H}/moved/test.txt`, name: 'test.txt' }, // redirected, nothing pinned
  ],
  { prefix: 'lightgcn' },
);
const ML = entry(
  'toy-ml',
  [
    {
      url: `${H}/ml/ml-toy.zip`,
      name: 'ml-toy.zip',
      bytes: ZIP.length,
      sha256: sha(ZIP),
      zip: {
        keep: [
          { member: 'ml-toy/u.data', as: 'u.data' },
          { member: 'ml-toy/README', as: 'README' },
        ],
      },
    },
  ],
  { prefix: 'movielens', file: 'u.data' },
);
const KG_ENTRY = entry(
  'toy-kg',
  KG.map((f) => ({ url: `${H}/kg/${f.name}`, name: f.name })),
  { prefix: 'lastfm-kg' },
);

/** The parent folder holds nothing but `names` (no .part, no staging folder). */
function assertOnly(dir: string, names: string[]): void {
  assert.deepEqual(readdirSync(dir).sort(), [...names].sort());
}

test('downloads files into <dir>/<id> with SOURCE.md, following a redirect; loadDataset reads it', async () => {
  await serverReady;
  const dir = tempDir();
  const events: DownloadProgress[] = [];
  const r = await downloadDataset(LG, {
    dir,
    mirror: server.mirror,
    onProgress: (p) => events.push(p),
  });
  assert.equal(r.dataset, 'toy-lightgcn');
  assert.equal(r.dir, join(dir, 'toy-lightgcn'));
  assertOnly(dir, ['toy-lightgcn']);
  assertOnly(r.dir, ['train.txt', 'test.txt', SOURCE_FILE]);
  assert.deepEqual(read(join(r.dir, 'train.txt')), TRAIN);
  assert.deepEqual(read(join(r.dir, 'test.txt')), TEST);
  assert.deepEqual(r.files, [
    { name: 'train.txt', bytes: TRAIN.length, sha256: sha(TRAIN) },
    { name: 'test.txt', bytes: TEST.length, sha256: sha(TEST) },
  ]);
  assert.ok(server.requests.includes('/example.test/moved/test.txt'));
  assert.ok(server.requests.includes('/example.test/lg/test.txt'), 'the redirect was followed');

  const source = readFileSync(join(r.dir, SOURCE_FILE), 'utf8');
  for (const s of [
    '# Toy toy-lightgcn (toy-lightgcn)',
    'Source: https://example.test/home',
    'Original data: https://example.test/origin',
    'Toy licence: tests only.',
    'A. Author. 2024. Toy Data.',
    `| train.txt | ${TRAIN.length} | ${sha(TRAIN)} | ${H}/lg/train.txt |`,
    `| test.txt | ${TEST.length} | ${sha(TEST)} |`,
    'pinned sha256 matched',
    'size only (no pinned sha256)',
    `Fetched through the mirror ${server.mirror}`,
    `reclab inspect lightgcn:${r.dir}`,
  ])
    assert.ok(source.includes(s), `SOURCE.md lacks ${s}:\n${source}`);
  assert.match(source, /Downloaded: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);

  assert.equal(r.spec, `lightgcn:${r.dir}`);
  const ds = await loadDataset(r.spec);
  assert.equal(ds.interactions.nUsers, 3); // user 2 has no training items: left out
  assert.ok(ds.given?.test.users.length);

  // progress: per file monotone and ending at its size, overall monotone
  for (const name of ['train.txt', 'test.txt']) {
    const mine = events.filter((e) => e.file === name);
    assert.ok(mine.length > 0);
    for (let i = 1; i < mine.length; i++) assert.ok(mine[i].received >= mine[i - 1].received);
    assert.equal(mine.at(-1)?.received, mine.at(-1)?.total);
  }
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i].receivedAll >= events[i - 1].receivedAll);
    assert.ok(overallFraction(events[i]) >= overallFraction(events[i - 1]));
  }
  assert.equal(events.at(-1)?.receivedAll, TRAIN.length + TEST.length);
  assert.equal(overallFraction(events.at(-1) as DownloadProgress), 1);
});

test('a zip keeps only the listed members (renamed), drops the archive, and loads', async () => {
  await serverReady;
  const dir = tempDir();
  const events: DownloadProgress[] = [];
  const r = await downloadDataset(ML, {
    dir,
    mirror: server.mirror,
    onProgress: (p) => events.push(p),
  });
  assertOnly(r.dir, ['u.data', 'README', SOURCE_FILE]);
  assert.deepEqual(read(join(r.dir, 'u.data')), U_DATA);
  assert.equal(readFileSync(join(r.dir, 'README'), 'utf8'), 'toy readme\n');
  assert.deepEqual(
    r.files.map((f) => f.name),
    ['u.data', 'README'],
  );
  assert.equal(r.files[0].sha256, sha(U_DATA));
  const source = readFileSync(join(r.dir, SOURCE_FILE), 'utf8');
  assert.ok(source.includes(`| ${H}/ml/ml-toy.zip | ${ZIP.length} | ${sha(ZIP)} |`), source);
  assert.ok(source.includes('ml-toy.zip (member ml-toy/u.data)'));
  // pinned: progress by bytes, ending at the total
  const last = events.filter((e) => e.phase === 'download').at(-1);
  assert.equal(last?.receivedAll, ZIP.length);
  assert.equal(last?.totalAll, ZIP.length);
  assert.ok(events.some((e) => e.phase === 'extract'));

  assert.equal(r.spec, `movielens:${join(r.dir, 'u.data')}`);
  const ds = await loadDataset(r.spec);
  assert.ok(ds.interactions.users.length > 0);
});

test('a zip with a path-traversal member is refused and nothing is written', async () => {
  await serverReady;
  const dir = tempDir();
  const evil: DatasetEntry = {
    ...ML,
    files: [
      { ...ML.files[0], url: `${H}/ml/evil.zip`, bytes: EVIL_ZIP.length, sha256: sha(EVIL_ZIP) },
    ],
  };
  await assert.rejects(
    downloadDataset(evil, { dir, mirror: server.mirror }),
    (e: unknown) =>
      e instanceof InputError &&
      e.message.includes('/example.test/ml/evil.zip') &&
      e.message.includes('"../evil.txt"'),
  );
  assertOnly(dir, []);
  assert.equal(existsSync(join(dir, '..', 'evil.txt')), false);
});

test('a member missing from the zip is an error naming it', async () => {
  await serverReady;
  const dir = tempDir();
  const bad: DatasetEntry = {
    ...ML,
    files: [
      { ...ML.files[0], zip: { keep: [{ member: 'ml-toy/ratings.dat', as: 'ratings.dat' }] } },
    ],
  };
  await assert.rejects(
    downloadDataset(bad, { dir, mirror: server.mirror }),
    /ml-toy\/ratings\.dat/,
  );
  assertOnly(dir, []);
});

test('a sha256 mismatch names the URL, the pinned and the found digest', async () => {
  await serverReady;
  const dir = tempDir();
  const bad: DatasetEntry = {
    ...LG,
    files: [{ ...LG.files[0], url: `${H}/wrong/train.txt` }],
  };
  await assert.rejects(
    downloadDataset(bad, { dir, mirror: server.mirror }),
    (e: unknown) =>
      e instanceof InputError &&
      e.message.includes(`${server.mirror}/example.test/wrong/train.txt`) &&
      e.message.includes(`expected sha256 ${sha(TRAIN)} (pinned)`) &&
      e.message.includes(`found "sha256 ${sha(WRONG)}"`),
  );
  assertOnly(dir, []);
});

test('size mismatches: announced length, and a body longer than pinned', async () => {
  await serverReady;
  const dir = tempDir();
  const short: DatasetEntry = { ...LG, files: [{ ...LG.files[0], url: `${H}/short/train.txt` }] };
  await assert.rejects(
    downloadDataset(short, { dir, mirror: server.mirror }),
    (e: unknown) =>
      e instanceof InputError &&
      e.message.includes('/example.test/short/train.txt') &&
      e.message.includes(`expected ${TRAIN.length} bytes (pinned)`) &&
      e.message.includes('found "10 bytes (Content-Length)"'),
  );
  const long: DatasetEntry = { ...LG, files: [{ ...LG.files[0], url: `${H}/chunked/train.txt` }] };
  await assert.rejects(
    downloadDataset(long, { dir, mirror: server.mirror }),
    (e: unknown) =>
      e instanceof InputError &&
      e.message.includes('/example.test/chunked/train.txt') &&
      e.message.includes(`expected ${TRAIN.length} bytes (pinned)`) &&
      /found "\d+\+ bytes received"/.test(e.message),
  );
  assertOnly(dir, []);
});

test('HTTP 404, a dropped connection and a refused connection are errors naming the URL', async () => {
  await serverReady;
  const dir = tempDir();
  const missing: DatasetEntry = {
    ...LG,
    files: [{ url: `${H}/nowhere/train.txt`, name: 'train.txt' }],
  };
  await assert.rejects(
    downloadDataset(missing, { dir, mirror: server.mirror }),
    (e: unknown) =>
      e instanceof DownloadError &&
      e.message.startsWith(`${server.mirror}/example.test/nowhere/train.txt:`) &&
      e.message.includes('expected HTTP 200, the server answered 404'),
  );
  const cut: DatasetEntry = { ...LG, files: [{ url: `${H}/cut/train.txt`, name: 'train.txt' }] };
  await assert.rejects(
    downloadDataset(cut, { dir, mirror: server.mirror }),
    (e: unknown) =>
      e instanceof DownloadError &&
      e.message.includes('/example.test/cut/train.txt') &&
      e.message.includes('network error'),
  );
  // a port nobody listens on
  const gone = await startServer({});
  const deadMirror = gone.mirror;
  await gone.close();
  await assert.rejects(
    downloadDataset(LG, { dir, mirror: deadMirror }),
    (e: unknown) =>
      e instanceof DownloadError &&
      e.message.includes(`${deadMirror}/example.test/lg/train.txt`) &&
      /network error: .*ECONNREFUSED/.test(e.message),
  );
  assertOnly(dir, []);
});

test('cancel mid-download leaves no partial file and no dataset folder', async () => {
  await serverReady;
  const dir = tempDir();
  const slow = entry('toy-slow', [{ url: `${H}/slow/big.bin`, name: 'big.bin' }], {
    prefix: 'lightgcn',
  });
  const ac = new AbortController();
  let seen = 0;
  await assert.rejects(
    downloadDataset(slow, {
      dir,
      mirror: server.mirror,
      signal: ac.signal,
      onProgress: (p) => {
        seen = p.received;
        if (p.received >= 2 * 4096) ac.abort();
      },
    }),
    DownloadCancelledError,
  );
  assert.ok(seen > 0 && seen < 40 * 4096, `cancelled after ${seen} bytes`);
  assertOnly(dir, []);
  // cancelled before it starts
  await assert.rejects(
    downloadDataset(slow, { dir, mirror: server.mirror, signal: AbortSignal.abort() }),
    DownloadCancelledError,
  );
  assertOnly(dir, []);
});

test('an existing download is kept unless force; a foreign folder too', async () => {
  await serverReady;
  const dir = tempDir();
  const first = await downloadDataset(LG, { dir, mirror: server.mirror });
  const marker = join(first.dir, 'mine.txt');
  writeFileSync(marker, 'user file');
  await assert.rejects(
    downloadDataset(LG, { dir, mirror: server.mirror }),
    (e: unknown) => e instanceof AlreadyDownloadedError && e.complete && /--force/.test(e.message),
  );
  assert.ok(existsSync(marker), 'the refused download touched nothing');
  const again = await downloadDataset(LG, { dir, mirror: server.mirror, force: true });
  assert.equal(again.dir, first.dir);
  assert.equal(existsSync(marker), false, 'force replaced the folder');
  assertOnly(dir, ['toy-lightgcn']);
  assertOnly(again.dir, ['train.txt', 'test.txt', SOURCE_FILE]);

  const other = tempDir();
  const foreign = join(other, 'toy-lightgcn');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'notes.txt'), 'mine');
  await assert.rejects(
    downloadDataset(LG, { dir: other, mirror: server.mirror }),
    (e: unknown) => e instanceof AlreadyDownloadedError && !e.complete,
  );
  assert.equal(readFileSync(join(foreign, 'notes.txt'), 'utf8'), 'mine');
});

test('the lastfm-kg layout downloads and loads with its knowledge graph', async () => {
  await serverReady;
  const dir = tempDir();
  const r = await downloadDataset(KG_ENTRY, { dir, mirror: server.mirror });
  assert.equal(r.spec, `lastfm-kg:${r.dir}`);
  const ds = await loadDataset(r.spec);
  assert.ok(ds.kg && ds.kg.heads.length > 0);
});

test('fetchFile: progress monotone ending at the total, .part renamed, failures leave nothing', async () => {
  await serverReady;
  const dir = tempDir();
  const seen: [number, number | undefined][] = [];
  const dest = join(dir, 'train.txt');
  const got = await fetchFile(`${server.mirror}/example.test/lg/train.txt`, dest, {
    onProgress: (r, t) => seen.push([r, t]),
  });
  assert.deepEqual(got, { bytes: TRAIN.length, sha256: sha(TRAIN) });
  assert.deepEqual(seen.at(-1), [TRAIN.length, TRAIN.length]);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] >= seen[i - 1][0]);
  assertOnly(dir, ['train.txt']);
  await assert.rejects(
    fetchFile(`${server.mirror}/example.test/wrong/train.txt`, join(dir, 'x.txt'), {
      sha256: sha(TRAIN),
    }),
    InputError,
  );
  assertOnly(dir, ['train.txt']);
});

test('mirror: host and path kept under the base; option, then environment', () => {
  assert.equal(
    mirroredUrl('https://files.grouplens.org/datasets/movielens/ml-100k.zip', 'http://m:8/x'),
    'http://m:8/x/files.grouplens.org/datasets/movielens/ml-100k.zip',
  );
  assert.equal(mirroredUrl('https://a.b/c', undefined), 'https://a.b/c');
  assert.equal(resolveMirror(undefined, { [MIRROR_ENV]: 'http://env/' }), 'http://env');
  assert.equal(resolveMirror('http://opt/', { [MIRROR_ENV]: 'http://env/' }), 'http://opt');
  assert.equal(resolveMirror(undefined, {}), undefined);
  assert.throws(() => resolveMirror('file:///tmp', {}), InputError);
});

test('zip member names: traversal, absolute and drive paths are unsafe', () => {
  for (const ok of ['a.txt', 'ml-100k/u.data', 'a/b/c', 'a..b/c'])
    assert.ok(isSafeMemberName(ok), ok);
  for (const bad of ['../x', 'a/../../x', '/etc/passwd', '\\x', 'C:/x', 'a\\..\\x', ''])
    assert.equal(isSafeMemberName(bad), false, bad);
});

test('the catalog: six datasets, well-formed pins, specs RecLab parses', () => {
  assert.deepEqual(
    CATALOG.map((e) => e.id),
    ['ml-100k', 'ml-1m', 'gowalla', 'yelp2018', 'amazon-book', 'lastfm-kg'],
  );
  for (const e of CATALOG) {
    assert.match(e.homepage, /^https:\/\//);
    assert.ok(e.licence.length > 20 && e.citation.length > 20 && e.licenceShort.length > 0, e.id);
    for (const f of e.files) {
      assert.match(f.url, /^https:\/\//);
      assert.doesNotMatch(f.name, /[/\\]/);
      if (f.sha256 !== undefined) {
        assert.match(f.sha256, /^[0-9a-f]{64}$/);
        assert.ok(f.bytes !== undefined && f.bytes > 0, `${e.id}/${f.name} pins a size too`);
      }
    }
    const spec = parseDatasetSpec(specFor(e, join('datasets', e.id)));
    assert.notEqual(spec.format, 'auto', e.id);
  }
  assert.equal(catalogEntry(' ML-100K ').id, 'ml-100k');
  assert.throws(() => catalogEntry('ml-20m'), /one of ml-100k, ml-1m/);
});

// The pinned sizes and digests were computed from the shared copies: downloading them through
// the mirror with the real catalog entries checks the pins end to end.
const SHARED = join('..', 'shared', 'datasets');
for (const id of ['gowalla', 'lastfm-kg']) {
  test(
    `catalog ${id}: the pins match the shared copies`,
    { skip: existsSync(join(SHARED, id)) ? false : `${join(SHARED, id)} not present` },
    async () => {
      const e = catalogEntry(id);
      const routes = Object.fromEntries(
        e.files.map((f) => {
          const u = new URL(f.url);
          return [`/${u.host}${u.pathname}`, bytesRoute(read(join(SHARED, id, f.name)))];
        }),
      );
      const s = await startServer(routes);
      try {
        const dir = tempDir();
        const r = await downloadDataset(e, { dir, mirror: s.mirror });
        for (const f of e.files) {
          const got = r.files.find((x) => x.name === f.name);
          if (f.sha256) assert.equal(got?.sha256, f.sha256, f.name);
        }
      } finally {
        await s.close();
      }
    },
  );
}
