/**
 * The benchmark datasets `reclab download` knows: where each file comes from, what it may be
 * used for, how to cite it, which checksums are pinned, and the dataset spec that loads the
 * result. Pure data; the download itself is in download.ts.
 *
 * Pinned sizes and sha256 digests were computed from copies of the upstream files kept in the
 * development machine's ../shared/datasets/ (gowalla/train.txt, gowalla/test.txt,
 * lastfm-kg/ratings_final.txt, lastfm-kg/kg_final.txt). Nothing else is pinned: the other
 * files are checked against the server's Content-Length only, and each such entry says so.
 */
import { join } from 'node:path';
import { InputError } from '../../util/errors.js';

/** One member of a zip archive to keep, and the name it gets in the dataset folder. */
export interface ZipMember {
  /** the member's path inside the archive, '/'-separated */
  readonly member: string;
  /** the file name in the dataset folder (no folders) */
  readonly as: string;
}

export interface CatalogFile {
  readonly url: string;
  /** the file name in the dataset folder; for a zip, the archive's name (deleted after extraction) */
  readonly name: string;
  /** size in bytes, when pinned */
  readonly bytes?: number;
  /** lower-case hex sha256, when pinned */
  readonly sha256?: string;
  /** a zip archive: extract these members, drop everything else (and the archive) */
  readonly zip?: { readonly keep: readonly ZipMember[] };
}

/** How RecLab loads the folder: `<prefix>:<folder>[/<file>]`. */
export interface CatalogSpec {
  readonly prefix: 'movielens' | 'gowalla' | 'lightgcn' | 'lastfm-kg';
  /** a file inside the folder, for formats that read one file */
  readonly file?: string;
}

export interface DatasetEntry {
  readonly id: string;
  readonly title: string;
  /** one line: what is in it */
  readonly summary: string;
  readonly files: readonly CatalogFile[];
  /** the page the files come from (shown before downloading, "Open Source Page") */
  readonly homepage: string;
  /** the original dataset's page, when the files are a processed copy hosted elsewhere */
  readonly origin?: string;
  /** one or two sentences: what the data may be used for (a summary; the source page governs) */
  readonly licence: string;
  /** a few words for tables and pick lists */
  readonly licenceShort: string;
  readonly citation: string;
  /** approximate download size for display, when no size is pinned (see sizeNote) */
  readonly approxBytes?: number;
  /** where approxBytes comes from, or why nothing is pinned */
  readonly sizeNote?: string;
  readonly spec: CatalogSpec;
}

const GROUPLENS_LICENCE =
  'GroupLens usage licence: research use only; no commercial use and no redistribution without ' +
  "GroupLens's permission. Publications using the data must cite Harper & Konstan (2015).";
const MOVIELENS_CITATION =
  'F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History and Context. ' +
  'ACM Transactions on Interactive Intelligent Systems 5, 4, Article 19. https://doi.org/10.1145/2827872';
const LIGHTGCN_CITATION =
  'Xiangnan He, Kuan Deng, Xiang Wang, Yan Li, Yongdong Zhang, Meng Wang. 2020. LightGCN: ' +
  'Simplifying and Powering Graph Convolution Network for Recommendation. SIGIR 2020.';
const NGCF_CITATION =
  'Xiang Wang, Xiangnan He, Meng Wang, Fuli Feng, Tat-Seng Chua. 2019. Neural Graph ' +
  'Collaborative Filtering. SIGIR 2019.';

const LIGHTGCN_RAW = 'https://raw.githubusercontent.com/gusye1234/LightGCN-PyTorch/master/data';
const LIGHTGCN_TREE = 'https://github.com/gusye1234/LightGCN-PyTorch/tree/master/data';

/** train.txt + test.txt of the LightGCN-PyTorch repository's data/<name>/. */
function lightGcnFiles(
  name: string,
  pins: { train?: [number, string]; test?: [number, string] } = {},
): CatalogFile[] {
  return (['train', 'test'] as const).map((part) => {
    const pin = pins[part];
    return {
      url: `${LIGHTGCN_RAW}/${name}/${part}.txt`,
      name: `${part}.txt`,
      ...(pin ? { bytes: pin[0], sha256: pin[1] } : {}),
    };
  });
}

function movieLensZip(id: 'ml-100k' | 'ml-1m', members: readonly string[]): CatalogFile {
  return {
    url: `https://files.grouplens.org/datasets/movielens/${id}.zip`,
    name: `${id}.zip`,
    zip: { keep: members.map((m) => ({ member: `${id}/${m}`, as: m })) },
  };
}

// ratings_final.txt and kg_final.txt: the MCCLK repository (Zou et al., SIGIR 2022) commits the
// KGNN-LS/KGCN preprocessed Last.FM files; the URLs name the commit whose copies have exactly
// the pinned sizes (checked against a stored copy of that commit). KGNN-LS and KGCN themselves
// only commit kg.txt and item_index2entity_id.txt and generate *_final.txt with preprocess.py.
const MCCLK_MUSIC =
  'https://raw.githubusercontent.com/CCIIPLab/MCCLK/51d48f1c6eaa9b5dd362cb5963c68ae386e4da75/data/music';
const KGCN_MUSIC =
  'https://raw.githubusercontent.com/hwwang55/KGCN/66d38e0461bcb4a89d983b72f6b1e3b13d00ff78/data/music';

export const CATALOG: readonly DatasetEntry[] = [
  {
    id: 'ml-100k',
    title: 'MovieLens 100K',
    summary: '943 users, 1,682 movies, 100,000 ratings (1-5) with timestamps',
    files: [movieLensZip('ml-100k', ['u.data', 'u.item', 'u.user', 'README'])],
    homepage: 'https://grouplens.org/datasets/movielens/100k/',
    licence: GROUPLENS_LICENCE,
    licenceShort: 'research only, no redistribution',
    citation: MOVIELENS_CITATION,
    approxBytes: 5_000_000,
    sizeNote:
      'about 5 MB (GroupLens page); no checksum pinned, size checked against Content-Length',
    spec: { prefix: 'movielens', file: 'u.data' },
  },
  {
    id: 'ml-1m',
    title: 'MovieLens 1M',
    summary: '6,040 users, 3,706 movies, 1,000,209 ratings (1-5) with timestamps',
    files: [movieLensZip('ml-1m', ['ratings.dat', 'movies.dat', 'users.dat', 'README'])],
    homepage: 'https://grouplens.org/datasets/movielens/1m/',
    licence: GROUPLENS_LICENCE,
    licenceShort: 'research only, no redistribution',
    citation: MOVIELENS_CITATION,
    approxBytes: 6_000_000,
    sizeNote:
      'about 6 MB (GroupLens page); no checksum pinned, size checked against Content-Length',
    spec: { prefix: 'movielens', file: 'ratings.dat' },
  },
  {
    id: 'gowalla',
    title: 'Gowalla (LightGCN split)',
    summary:
      '29,858 users, 40,981 locations, 1,027,370 check-ins; the LightGCN/NGCF train/test split',
    files: lightGcnFiles('gowalla', {
      train: [4_633_414, '4cbd7fd6bddb7598d81da99a8d01bae9c6d96802b1fa7397c9fcd5b0e9a42b9f'],
      test: [1_372_559, '099a2a73924e4b754dc6efd730d764f492321b53c38eb93298850c83acf57be3'],
    }),
    homepage: `${LIGHTGCN_TREE}/gowalla`,
    origin: 'https://snap.stanford.edu/data/loc-gowalla.html',
    licence:
      'Check-ins collected by Cho, Myers & Leskovec (Stanford SNAP), redistributed in processed ' +
      'form by the LightGCN authors; no explicit licence is given, so use it for research and cite both.',
    licenceShort: 'research use, cite SNAP + LightGCN',
    citation:
      'Eunjoon Cho, Seth A. Myers, Jure Leskovec. 2011. Friendship and Mobility: User Movement in ' +
      `Location-Based Social Networks. KDD 2011. ${LIGHTGCN_CITATION}`,
    spec: { prefix: 'gowalla' },
  },
  {
    id: 'yelp2018',
    title: 'Yelp2018 (LightGCN split)',
    summary: '31,668 users, 38,048 businesses, 1,561,406 interactions; the LightGCN/NGCF split',
    files: lightGcnFiles('yelp2018'),
    homepage: `${LIGHTGCN_TREE}/yelp2018`,
    origin: 'https://www.yelp.com/dataset',
    licence:
      'Derived from the Yelp Open Dataset (2018 challenge edition), whose terms allow personal, ' +
      'non-commercial and academic use only; the split is redistributed by the NGCF/LightGCN authors.',
    licenceShort: 'Yelp terms: non-commercial, academic',
    citation: `${NGCF_CITATION} ${LIGHTGCN_CITATION}`,
    sizeNote: 'size unknown until the server says; no checksum pinned',
    spec: { prefix: 'lightgcn' },
  },
  {
    id: 'amazon-book',
    title: 'Amazon-Book (LightGCN split)',
    summary: '52,643 users, 91,599 books, 2,984,108 interactions; the LightGCN/NGCF split',
    files: lightGcnFiles('amazon-book'),
    homepage: `${LIGHTGCN_TREE}/amazon-book`,
    origin: 'https://jmcauley.ucsd.edu/data/amazon/',
    licence:
      'Derived from the Amazon review data of McAuley et al., released for research use; the ' +
      'split is redistributed by the NGCF/LightGCN authors. Cite He & McAuley (2016) and NGCF.',
    licenceShort: 'research use, cite McAuley + NGCF',
    citation:
      'Ruining He, Julian McAuley. 2016. Ups and Downs: Modeling the Visual Evolution of Fashion ' +
      `Trends with One-Class Collaborative Filtering. WWW 2016. ${NGCF_CITATION}`,
    sizeNote: 'size unknown until the server says; no checksum pinned',
    spec: { prefix: 'lightgcn' },
  },
  {
    id: 'lastfm-kg',
    title: 'Last.FM with knowledge graph (KGNN-LS layout)',
    summary:
      '1,872 users, 3,846 artists, 21,173 listens (+ sampled negatives); KG of 9,366 entities, 60 relations, 15,518 triples',
    files: [
      {
        url: `${MCCLK_MUSIC}/ratings_final.txt`,
        name: 'ratings_final.txt',
        bytes: 457_561,
        sha256: 'a1589f7ff2f36ea25c946900e38c941eb6d8fae27422b32c73dc571d731e1c70',
      },
      {
        url: `${MCCLK_MUSIC}/kg_final.txt`,
        name: 'kg_final.txt',
        bytes: 182_617,
        sha256: 'ff58147005e774652ebf435e9a8c3f0c3e2ffe9a54087eab00fd9c5413040bc8',
      },
      // Not pinned: the shared copy (38,568 bytes, LF line ends) is smaller than KGCN's file by
      // one byte a line (KGCN's appears to use CRLF), so its digest would not match. Optional
      // for the loader, which keeps it as the item feature original_index.
      { url: `${KGCN_MUSIC}/item_index2entity_id.txt`, name: 'item_index2entity_id.txt' },
    ],
    homepage: 'https://github.com/hwwang55/KGCN/tree/master/data/music',
    origin: 'https://grouplens.org/datasets/hetrec-2011/',
    licence:
      'Derived from the HetRec 2011 Last.FM dataset, released for non-commercial use only, with a ' +
      'knowledge graph built by Wang et al. from Microsoft Satori. Cite Cantador et al. (2011) and KGCN.',
    licenceShort: 'non-commercial, cite HetRec + KGCN',
    citation:
      'Iván Cantador, Peter Brusilovsky, Tsvi Kuflik. 2011. 2nd Workshop on Information ' +
      'Heterogeneity and Fusion in Recommender Systems (HetRec 2011). RecSys 2011. Hongwei Wang, ' +
      'Miaomiao Zhao, Xing Xie, Wenjie Li, Minyi Guo. 2019. Knowledge Graph Convolutional Networks ' +
      'for Recommender Systems. WWW 2019.',
    // 457,561 + 182,617 pinned, plus KGCN's item_index2entity_id.txt (42,414 bytes as stored)
    approxBytes: 682_592,
    sizeNote: 'ratings and KG pinned (size + sha256); item_index2entity_id.txt not pinned',
    spec: { prefix: 'lastfm-kg' },
  },
];

export function catalogEntry(id: string, catalog: readonly DatasetEntry[] = CATALOG): DatasetEntry {
  const e = catalog.find((d) => d.id === id.trim().toLowerCase());
  if (!e)
    throw new InputError(
      { file: 'dataset', text: id },
      `one of ${catalog.map((d) => d.id).join(', ')}`,
    );
  return e;
}

/** Sum of the pinned sizes, or undefined when some file has none. */
export function pinnedBytes(e: DatasetEntry): number | undefined {
  let sum = 0;
  for (const f of e.files) {
    if (f.bytes === undefined) return undefined;
    sum += f.bytes;
  }
  return sum;
}

/** Whether every file has a pinned sha256. */
export function fullyPinned(e: DatasetEntry): boolean {
  return e.files.every((f) => f.sha256 !== undefined);
}

/** "12.3 MB" (decimal megabytes, as servers and file managers show them). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  return `${(n / 1_000_000_000).toFixed(2)} GB`;
}

/** The size to show in lists: exact when pinned, "about" when approximate, else "unknown". */
export function displaySize(e: DatasetEntry): string {
  const pinned = pinnedBytes(e);
  if (pinned !== undefined) return formatBytes(pinned);
  if (e.approxBytes !== undefined) return `~${formatBytes(e.approxBytes)}`;
  return 'unknown';
}

/** The spec string that loads a downloaded folder: `movielens:<folder>/u.data`, `gowalla:<folder>`. */
export function specFor(e: DatasetEntry, folder: string): string {
  return `${e.spec.prefix}:${e.spec.file ? join(folder, e.spec.file) : folder}`;
}
