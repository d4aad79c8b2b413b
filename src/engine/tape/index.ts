/** The autodiff tape: values, parameters, the tape itself and its ops. */
export { Tensor } from './tensor.js';
export { Param } from './param.js';
export { Tape } from './tape.js';
export { registeredOps, type OpRegistration, type GradCase, type Matrix64 } from './registry.js';
export { gradCheck, type GradCheckResult } from './gradcheck.js';
export * as ops from './ops/index.js';
