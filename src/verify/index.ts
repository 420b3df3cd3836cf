export { type VerifyChainOptions, verifyChain } from './chain.ts';
export { renderChainTree } from './render.ts';
