/**
 * Every op of the tape: importing this module registers them all (for the gradient check) and
 * gives models one place to import from.
 */
export { add } from './add.js';
export { bce } from './bce.js';
export { bpr } from './bpr.js';
export { concatCols, sliceCols } from './concatCols.js';
export { concatRows } from './concatRows.js';
export { edgeSoftmax } from './edgeSoftmax.js';
export { elu } from './elu.js';
export { exp } from './exp.js';
export { expandRows } from './expandRows.js';
export { gather } from './gather.js';
export { hinge } from './hinge.js';
export { layerSumRows } from './layerSumRows.js';
export { leakyRelu, leakyReluWith } from './leakyRelu.js';
export { log } from './log.js';
export { logSigmoid } from './logSigmoid.js';
export { dropoutMask, maskedLeakyRelu } from './maskedLeakyRelu.js';
export { matmul } from './matmul.js';
export { matmulNT } from './matmulNT.js';
export { type MessageGraph } from './messageGraph.js';
export { mul } from './mul.js';
export { neighbourMax } from './neighbourMax.js';
export { neighbourMean } from './neighbourMean.js';
export { neighbourWeighted } from './neighbourWeighted.js';
export { normalizeRows } from './normalizeRows.js';
export { mean, rowMean, rowSum, sum, sumSquares } from './reduce.js';
export { relationProject } from './relationProject.js';
export { relu } from './relu.js';
export { rowDot } from './rowDot.js';
export { rowMax } from './rowMax.js';
export { scale } from './scale.js';
export { sharedNegativeLoss, type SharedLossKind } from './sharedNegativeLoss.js';
export { sessionLoss, SESSION_LOSS_OPS, type SessionLossKind } from './sessionLosses.js';
export { scatterAddRows } from './scatterAddRows.js';
export { sddmmAdd } from './sddmmAdd.js';
export { sddmmDot } from './sddmmDot.js';
export { sigmoid } from './sigmoid.js';
export { softmaxCrossEntropy } from './softmaxCrossEntropy.js';
export { spmm, spmmRows, type FixedMatrix } from './spmm.js';
export { spmmEdge } from './spmmEdge.js';
export { sub } from './sub.js';
export { sumProdMessages, type MessageOptions } from './sumProdMessages.js';
export { tanh } from './tanh.js';
export { weightedSum } from './weightedSum.js';
