export { type VerifyChainOptions, verifyChain } from './chain.ts';
export { type ArtifactReceiptCheck, verifyArtifactReceipt } from './receipt.ts';
export { renderChainTree } from './render.ts';
export { chainDecisionRecord, GATECHAIN_VERIFIER_ID, vsaStatement } from './vsa.ts';
