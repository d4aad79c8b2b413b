import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EmbeddingProjection, UserDetail } from '../../../extension/shared/messages.js';
import {
  detailMarks,
  pointsByNode,
  scatterSpec,
  toPoints,
  withFriends,
} from '../../../webview/panels/embeddingsSpec.js';
import { becausePhrase } from '../../../src/runs/pathsText.js';

/** 4 users (0..3) and 2 artists; 1 friendship in the dataset's relation is enough to offer it. */
const at = Float32Array.from({ length: 6 }, (_, k) => k);
const proj: EmbeddingProjection = {
  ...{ runId: 'r', label: 'r', method: 'pca', seconds: 0.1, x: at, y: at },
  ...{ nUsers: 4, nItems: 2, friendships: 2, degree: Int32Array.of(1, 1, 1, 1, 2, 2) },
  ids: ['2', '3', '4', '5', '51', '52'],
  labels: ['', '', '', '', 'Duran Duran', 'Morcheeba'],
};
const points = toPoints(proj);

test('colour by friends: the selected user and their friends drawn last, over everyone else', () => {
  const drawn = withFriends(points, 1, [3, 0]);
  assert.deepEqual(
    drawn.map((p) => [p.i, p.friendship]),
    [
      [4, 'item'],
      [5, 'item'],
      [2, 'other user'],
      [0, 'friend'],
      [3, 'friend'],
      [1, 'selected user'],
    ],
  );
  // nobody selected: every user is "other user"
  assert.ok(
    withFriends(points, undefined, []).every((p) =>
      p.type === 'user' ? p.friendship === 'other user' : p.friendship === 'item',
    ),
  );
  const spec = JSON.stringify(scatterSpec(proj, 'friends', drawn));
  assert.match(
    spec,
    /"field":"friendship","type":"nominal","title":"friends of the selected user"/,
  );
  assert.match(spec, /"domain":\["selected user","friend","other user","item"\]/);
  assert.match(
    spec,
    /"size":\{"condition":\[\{"test":"datum.friendship === 'selected user'","value":140\},\{"test":"datum.friendship === 'friend'","value":80\}\],"value":14\}/,
    'the user and their friends drawn larger than the crowd',
  );
});

test("a user's marks: their friends are marked with a shape of their own, in the legend", () => {
  const d: UserDetail = {
    user: '3',
    userIndex: 1,
    trainItems: ['51'],
    recommendations: [{ item: '52', index: 1, hit: false }],
    friends: [
      { user: '5', index: 3 },
      { user: '2', index: 0 },
    ],
  };
  const marked = detailMarks(d, proj, pointsByNode(points)).map((m) => `${m.role} ${m.i}`);
  assert.deepEqual(marked, [
    'selected user 1',
    'recommended 5',
    'friend 3',
    'friend 0',
    'trained on 4',
  ]);
  const spec = scatterSpec(proj, 'type', points) as {
    layer: Array<{ encoding: { shape?: { scale: { domain: string[]; range: string[] } } } }>;
  };
  const shape = spec.layer[1].encoding.shape?.scale;
  const k = shape?.domain.indexOf('friend') ?? -1;
  assert.ok(k >= 0, 'friend is in the marks legend');
  const range = shape?.range ?? [];
  assert.equal(range.indexOf(range[k]), k, "the friend's shape is no other role's");
  // a dataset without friendships has no "friend" in its legend
  const alone = JSON.stringify(scatterSpec({ ...proj, friendships: undefined }, 'type', points));
  assert.doesNotMatch(alone, /"friend"/);
});

test('"because you liked": the first share says "of paths", shares round to whole percents, never 0%', () => {
  assert.equal(
    becausePhrase([
      { name: 'Return of the Jedi', share: 0.4249 },
      { name: 'Empire', share: 0.18 },
      { name: 'Jude', share: 0.004 },
    ]),
    'Return of the Jedi (42% of paths), Empire (18%), Jude (<1%)',
  );
  assert.equal(becausePhrase([]), '');
});
