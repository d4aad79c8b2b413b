/** Names the engine's kernels are registered under in tfjs's kernel and gradient registries. */
export const SPMM = 'RecLabSpmm';
export const SPMM_ROWS = 'RecLabSpmmRows';
export const SCATTER_ROWS = 'RecLabScatterRows';
