/**
 * Rng lives in util, the lowest layer, because data (splits, synthetic sets) and graph (link
 * prediction) draw from it too; this re-export keeps the many `engine/rng.js` imports working.
 */
export { Rng } from '../util/rng.js';
