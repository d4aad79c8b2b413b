/**
 * RecLab inside a real VS Code: trains a small model through the real commands, then checks
 * the run folder, the Experiments tree, the panels and the run management commands.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import * as vscode from 'vscode';
import type { RecLabApi } from '../../extension/extension.js';
import type { ExperimentNode } from '../../extension/views/experimentsTree.js';
import { loadDataset } from '../../src/data/index.js';
import type { DownloadResult } from '../../src/data/download/download.js';
import { listRuns } from '../../src/runs/store.js';
import type { RunRecord } from '../../src/runs/format.js';

const EXTENSION_ID = 'reclab.reclab';

async function waitFor<T>(
  what: string,
  f: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 120000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function workspace(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests need a folder open');
  return f.uri.fsPath;
}

export function registerSuite(): void {
  describe('RecLab extension', function () {
    let api: RecLabApi;
    let trained: RunRecord;
    const runsRoot = () => join(workspace(), '.reclab', 'runs');

    before(async () => {
      const ext = vscode.extensions.getExtension<RecLabApi>(EXTENSION_ID);
      assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
      api = await ext.activate();
    });

    it('registers every command in package.json', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      const declared = (
        ext?.packageJSON as { contributes: { commands: { command: string }[] } }
      ).contributes.commands.map((c) => c.command);
      const all = new Set(await vscode.commands.getCommands(true));
      assert.deepEqual(
        declared.filter((c) => !all.has(c)),
        [],
      );
      assert.ok(declared.length >= 13);
    });

    it('trains mf on the demo dataset via Run Experiment File', async () => {
      const file = join(workspace(), 'e2e-mf.reclab.json');
      writeFileSync(
        file,
        JSON.stringify(
          {
            name: 'e2e-mf',
            dataset: 'demo',
            model: 'mf',
            epochs: 3,
            evalEvery: 1,
            hyper: { dim: 16 },
          },
          null,
          2,
        ),
      );
      await vscode.commands.executeCommand('reclab.runExperimentFile', vscode.Uri.file(file));
      // live progress reaches the host while it trains (or the run is already over)
      trained = await waitFor('the run to finish', () =>
        listRuns(runsRoot()).find((r) => r.meta?.name === 'e2e-mf' && r.state.status !== 'running'),
      );
      assert.equal(trained.state.status, 'done', trained.state.error);
      assert.equal(trained.meta?.model, 'mf');
      assert.equal(trained.history.length, 3);
      const recall = trained.summary?.metrics['recall@20'];
      assert.ok(typeof recall === 'number' && recall >= 0 && recall <= 1, `recall@20 = ${recall}`);
      assert.ok(existsSync(join(trained.dir, 'embeddings.bin')));
      // the worker's final message can arrive just after the run files are complete
      await waitFor(
        'the training slot to be free',
        () => api.services.training.current === null || undefined,
      );
    });

    it('shows the run in the Experiments tree, grouped by dataset', async () => {
      api.services.store.refresh();
      const groups = await waitFor('the demo group', () => {
        const g = api.experiments
          .getChildren()
          .filter((n): n is Extract<ExperimentNode, { kind: 'group' }> => n.kind === 'group');
        return g.find((n) => n.dataset === trained.meta?.dataset);
      });
      const runs = api.experiments.getChildren(groups);
      const node = runs.find((n) => n.kind === 'run' && n.run.id === trained.id);
      assert.ok(node, 'the trained run is in its dataset group');
      const item = api.experiments.getTreeItem(node);
      assert.equal(item.label, 'e2e-mf');
      assert.match(String(item.description), /^mf · R@20 \d\.\d{4} · /);
      assert.equal(item.contextValue, 'reclab.run.done');
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    });

    it('opens the metrics, comparison, embeddings and dataset panels and they render', async () => {
      await vscode.commands.executeCommand('reclab.showMetrics', trained.id);
      const metrics = await waitFor('metrics panel', () => api.panels.metrics.get('metrics'));
      await waitFor('metrics chart', () => metrics.renderCount > 0, 60000);
      await vscode.commands.executeCommand('reclab.compare');
      const compare = await waitFor('compare panel', () => api.panels.compare.get('compare'));
      await waitFor('compare charts', () => compare.renderCount > 0, 60000);
      await vscode.commands.executeCommand('reclab.showEmbeddings', trained.id);
      const emb = await waitFor('embeddings panel', () => api.panels.embeddings.get(trained.id));
      await waitFor('embedding plot', () => emb.renderCount > 0, 90000);
      // UMAP of the run (computed in a worker, seeded), drawn in the same panel
      const drawn = emb.renderCount;
      await emb.show('umap');
      assert.equal(emb.method, 'umap');
      await waitFor('UMAP plot', () => emb.renderCount > drawn, 90000);
      // an item's most similar items by the run's item-item graph (built in a worker)
      const similar = await emb.similarTo(0);
      assert.equal(similar.itemIndex, 0);
      assert.equal(similar.similar.length, 20);
      assert.ok(similar.similar.every((x, i, all) => i === 0 || all[i - 1].weight >= x.weight));
      // colour by community: Louvain on the run's user-item graph, one community per node
      const communities = await emb.communities();
      assert.ok(communities.count >= 2);
      assert.ok(communities.community.every((c) => c >= 0));
      await vscode.commands.executeCommand('reclab.inspectDataset', 'demo');
      const ds = await waitFor('dataset panel', () => api.panels.dataset.get('demo'));
      await waitFor('dataset charts', () => ds.renderCount > 0, 60000);
      for (const p of [metrics, compare, emb, ds])
        assert.deepEqual(p.webviewErrors, [], `${p.kind} webview errors`);
    });

    it('exports the comparison as CSV and SVG', async () => {
      const csv = join(workspace(), 'comparison.csv');
      await vscode.commands.executeCommand('reclab.exportComparison', 'csv', csv);
      const text = readFileSync(csv, 'utf8');
      // the open Compare panel's table as shown: its dataset is the group, its run ids in `runs`
      assert.match(text.split('\n')[0], /^group,run,runs,status,model,.*recall@20/);
      assert.ok(text.includes(trained.id));
      const svg = join(workspace(), 'comparison.svg');
      await vscode.commands.executeCommand('reclab.exportComparison', 'svg', svg);
      assert.match(readFileSync(svg, 'utf8'), /<svg[\s\S]*<\/svg>/);
    });

    it('recommends for a user with the saved run', async () => {
      const detail = (await vscode.commands.executeCommand(
        'reclab.recommend',
        trained.id,
        '#0',
      )) as { recommendations: unknown[]; trainItems: unknown[] } | undefined;
      assert.ok(detail, 'recommend returned its result');
      assert.equal(detail.recommendations.length, 20);
      assert.ok(detail.trainItems.length > 0);
    });

    it("lists an item's similar items with the saved run", async () => {
      const detail = (await vscode.commands.executeCommand(
        'reclab.similarItems',
        trained.id,
        '#3',
      )) as { itemIndex: number; similar: Array<{ index: number }> } | undefined;
      assert.ok(detail, 'similar items returned its result');
      assert.equal(detail.itemIndex, 3);
      assert.equal(detail.similar.length, 20);
      assert.ok(
        detail.similar.every((x) => x.index !== 3),
        'an item is not similar to itself',
      );
    });

    it('cancels a long run at the next batch', async () => {
      const file = join(workspace(), 'e2e-long.reclab.json');
      writeFileSync(
        file,
        JSON.stringify({
          name: 'e2e-long',
          dataset: 'demo',
          model: 'mf',
          epochs: 500,
          evalEvery: 0,
        }),
      );
      await vscode.commands.executeCommand('reclab.runExperimentFile', file);
      // an epoch finished, so that the run has a checkpoint to resume from (next test)
      await waitFor(
        'training to finish an epoch',
        () => (api.services.training.current?.history.length ?? 0) >= 1 || undefined,
        60000,
      );
      // the tree shows it running with its live epoch, without waiting on a file watcher
      const live = await waitFor('the running run in the Experiments tree', () =>
        api.experiments
          .getChildren()
          .flatMap((n) => (n.kind === 'group' ? api.experiments.getChildren(n) : []))
          .find((n) => n.kind === 'run' && n.run.meta?.name === 'e2e-long'),
      );
      assert.match(String(api.experiments.getTreeItem(live).description), /^mf · epoch \d+\/500/);
      await vscode.commands.executeCommand('reclab.stopTraining');
      const run = await waitFor(
        'the cancelled run',
        () =>
          listRuns(runsRoot()).find(
            (r) => r.meta?.name === 'e2e-long' && r.state.status !== 'running',
          ),
        60000,
      );
      assert.equal(run.state.status, 'cancelled');
      assert.equal(api.services.training.current, null);
    });

    it('resumes the cancelled run from its last checkpoint, in the same folder', async () => {
      api.services.store.refresh();
      const stopped = listRuns(runsRoot()).find((r) => r.meta?.name === 'e2e-long');
      assert.ok(stopped, 'the cancelled run');
      assert.equal(stopped.state.status, 'cancelled');
      const before = stopped.history.at(-1)?.epoch ?? 0;
      assert.ok(before >= 1 && existsSync(join(stopped.dir, 'last.bin')));
      // the tree offers Resume on it (menus key on the contextValue)
      const node = api.experiments
        .getChildren()
        .flatMap((n) => (n.kind === 'group' ? api.experiments.getChildren(n) : []))
        .find((n) => n.kind === 'run' && n.run.id === stopped.id);
      assert.ok(node);
      assert.equal(
        api.experiments.getTreeItem(node).contextValue,
        'reclab.run.cancelled.resumable',
      );
      await vscode.commands.executeCommand('reclab.resumeRun', node);
      await waitFor(
        'the resumed run to train past its checkpoint',
        () => {
          const a = api.services.training.current;
          return (a?.id === stopped.id && a.epoch >= before + 2) || undefined;
        },
        60000,
      );
      // the live curve continues the saved one
      assert.equal(api.services.training.current?.history[0]?.epoch, 1);
      await vscode.commands.executeCommand('reclab.stopTraining');
      const run = await waitFor(
        'the resumed run to stop',
        () => {
          const r = listRuns(runsRoot()).find((x) => x.id === stopped.id);
          return r && r.state.status !== 'running' ? r : undefined;
        },
        60000,
      );
      assert.equal(run.state.status, 'cancelled');
      // one line per epoch, continuing where it stopped; no second run folder
      const epochs = run.history.map((h) => h.epoch);
      assert.deepEqual(
        epochs,
        epochs.map((_, i) => i + 1),
      );
      assert.ok(epochs.length >= before + 2, `${epochs.length} epochs after ${before}`);
      assert.equal(listRuns(runsRoot()).filter((r) => r.meta?.name === 'e2e-long').length, 1);
      await waitFor('the training slot', () => api.services.training.current === null || undefined);
    });

    it('refuses an experiment file whose dataset lies outside the workspace', async () => {
      const file = join(workspace(), 'e2e-outside.reclab.json');
      // a dataset in the LightGCN layout next to the workspace, not in it
      const outside = join(workspace(), '..', 'outside-data');
      mkdirSync(outside, { recursive: true });
      const users = Array.from({ length: 20 }, (_, u) => u);
      writeFileSync(
        join(outside, 'train.txt'),
        users.map((u) => `${u} ${u % 7} ${(u + 1) % 7}`).join('\n'),
      );
      writeFileSync(join(outside, 'test.txt'), users.map((u) => `${u} ${(u + 3) % 7}`).join('\n'));
      const dataset = `lightgcn:${join(outside, 'train.txt')},${join(outside, 'test.txt')}`;
      writeFileSync(
        file,
        JSON.stringify({ name: 'e2e-outside', model: 'popularity', dataset }, null, 2),
      );
      const count = listRuns(runsRoot()).length;
      const refused = await vscode.commands.executeCommand<string | undefined>(
        'reclab.runExperimentFile',
        vscode.Uri.file(file),
      );
      // the file, the field's line and the field, nothing read from the data
      assert.ok(
        refused?.startsWith(`${file}:4: expected a "dataset" inside the workspace (`),
        refused,
      );
      assert.ok(refused?.includes('(found "lightgcn:'), refused);
      assert.equal(api.services.training.current, null, 'nothing trains');
      assert.equal(listRuns(runsRoot()).length, count, 'no run folder');
      // once picked (as the Choose… dialog records it), the same file runs
      api.services.picked.add([outside]);
      assert.equal(
        await vscode.commands.executeCommand('reclab.runExperimentFile', vscode.Uri.file(file)),
        undefined,
      );
      const run = await waitFor('the picked run to end', () =>
        listRuns(runsRoot()).find(
          (r) => r.meta?.name === 'e2e-outside' && r.state.status !== 'running',
        ),
      );
      assert.equal(run.state.status, 'done', run.state.error);
      await waitFor('the training slot', () => api.services.training.current === null || undefined);
    });

    it('reads a CSV whose header names no user/item column with the columns chosen for it', async () => {
      // header a,b,c: the items in a, the users in c (what the quick picks record; VS Code
      // has no API to answer a quick pick from a test, so the choice is stored as they do)
      const file = join(workspace(), 'e2e-abc.csv');
      const rows = ['a,b,c'];
      for (let u = 0; u < 30; u++)
        for (let j = 0; j < 10; j++) rows.push(`i${(u + j) % 15},${j},u${u}`);
      writeFileSync(file, `${rows.join('\n')}\n`);
      const spec = `csv:${file}`;
      await api.services.columns.remember(file, { user: 'c', item: 'a' });
      await vscode.commands.executeCommand('reclab.inspectDataset', spec);
      const panel = await waitFor('the dataset panel', () => api.panels.dataset.get(spec));
      await waitFor('its charts (read as 30 users, 15 items)', () => panel.renderCount > 0, 60000);
      assert.deepEqual(panel.webviewErrors, []);
      // a run of the file records the columns, so that resume and evaluation read it alike
      const exp = join(workspace(), 'e2e-abc.reclab.json');
      writeFileSync(exp, JSON.stringify({ name: 'e2e-abc', dataset: spec, model: 'popularity' }));
      await vscode.commands.executeCommand('reclab.runExperimentFile', vscode.Uri.file(exp));
      const run = await waitFor('the run of the a,b,c file to end', () =>
        listRuns(runsRoot()).find(
          (r) => r.meta?.name === 'e2e-abc' && r.state.status !== 'running',
        ),
      );
      assert.equal(run.state.status, 'done', run.state.error);
      const config = run.meta?.config as { datasetOptions?: unknown } | undefined;
      assert.deepEqual(config?.datasetOptions, { columns: { user: 'c', item: 'a' } });
      await waitFor('the training slot', () => api.services.training.current === null || undefined);
    });

    it('renames and deletes experiments', async () => {
      await vscode.commands.executeCommand('reclab.renameExperiment', trained.id, 'renamed-mf');
      assert.equal(listRuns(runsRoot()).find((r) => r.id === trained.id)?.meta?.name, 'renamed-mf');
      const long = listRuns(runsRoot()).find((r) => r.meta?.name === 'e2e-long');
      assert.ok(long);
      await vscode.commands.executeCommand('reclab.deleteExperiment', long.id, undefined, false);
      assert.ok(!existsSync(long.dir));
      assert.ok(!api.services.store.byId(long.id));
    });

    it('downloads a benchmark dataset from a mirror into the workspace and lists it', async () => {
      // a local mirror (the layout RECLAB_DOWNLOAD_MIRROR names) serving a small stand-in of
      // ml-100k.zip at the catalog's path: 3 users, 3 movies, 5 ratings
      const rows = ['1\t1\t5\t881250949', '1\t2\t3\t881250950', '2\t1\t4\t881250951'];
      rows.push('2\t3\t2\t881250952', '3\t2\t5\t881250953');
      const zip = zipSync({
        'ml-100k/u.data': strToU8(`${rows.join('\n')}\n`),
        'ml-100k/u.item': strToU8(
          // u.item's layout: id|title|date|video date|url|19 genre flags
          [
            '1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0',
            '2|GoldenEye (1995)|01-Jan-1995||http://x|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0',
            '3|Four Rooms (1995)|01-Jan-1995||http://x|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0',
            '',
          ].join('\n'),
        ),
        'ml-100k/u.user': strToU8(
          '1|24|M|technician|85711\n2|53|F|other|94043\n3|23|M|writer|32067\n',
        ),
        'ml-100k/README': strToU8('stand-in for the e2e test\n'),
        'ml-100k/u1.base': strToU8('not kept\n'),
      });
      const asked: string[] = [];
      const server = createServer((req, res) => {
        asked.push(req.url ?? '');
        if (req.url !== '/m/files.grouplens.org/datasets/movielens/ml-100k.zip') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-length': zip.length }).end(Buffer.from(zip));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const before = process.env.RECLAB_DOWNLOAD_MIRROR;
      process.env.RECLAB_DOWNLOAD_MIRROR = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m`;
      try {
        // the id and confirm=false skip the pick and the licence dialog (as a script would)
        const result = await vscode.commands.executeCommand<DownloadResult | undefined>(
          'reclab.downloadDataset',
          'ml-100k',
          false,
        );
        assert.ok(result, 'the command returns what it downloaded');
        assert.deepEqual(asked, ['/m/files.grouplens.org/datasets/movielens/ml-100k.zip']);
        const dir = join(workspace(), 'datasets', 'ml-100k');
        assert.equal(readFileSync(join(dir, 'u.data'), 'utf8'), `${rows.join('\n')}\n`);
        assert.ok(!existsSync(join(dir, 'u1.base')), 'only the catalog members are kept');
        const data = await loadDataset(`movielens:${join(dir, 'u.data')}`);
        const { nUsers, nItems, users } = data.interactions;
        assert.deepEqual([nUsers, nItems, users.length], [3, 3, 5]);
        // and the Datasets tree offers it
        const node = await waitFor('the download in the Datasets tree', async () => {
          api.datasets.refresh();
          const nodes = await api.datasets.getChildren();
          return nodes.find((n) => n.spec.includes(join('datasets', 'ml-100k')));
        });
        assert.ok(node);
      } finally {
        if (before === undefined) delete process.env.RECLAB_DOWNLOAD_MIRROR;
        else process.env.RECLAB_DOWNLOAD_MIRROR = before;
        server.close();
      }
    });

    it('keeps working after a command fails', async () => {
      await vscode.commands.executeCommand('reclab.showMetrics', 'no-such-run'); // shows an error, does not throw
      await vscode.commands.executeCommand('reclab.inspectDataset', 'csv:/no/such/file.csv'); // error shown in the panel
      assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    });
  });
}
