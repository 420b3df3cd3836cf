export { compileExpression, evaluateCondition } from './conditions.ts';
export { defaultAbout, evaluateChain, predicateTypeMatches } from './evaluate.ts';
export { loadChainPolicy, parseChainPolicy } from './load.ts';
export type * from './model.ts';
export type { ChainPolicyDocument } from './schema.ts';
export { chainPolicySchema } from './schema.ts';
export { evaluateVulnerabilityRule, reportedVulnerabilities } from './vulnerabilities.ts';
