import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { AdmissionEngine, ValidationOutcome } from '../../admission/engine.ts';
import { postNotice } from '../../admission/notify.ts';
import {
  decisionRecord,
  decisionSubjects,
  failureDecisionRecord,
} from '../../admission/report/ledger-records.ts';
import { recordsOf } from '../../admission/report/records.ts';
import {
  type AdmissionRequest,
  parseAdmissionReview,
  parseTimeoutParameter,
} from '../../admission/review/parse.ts';
import { type AdmissionDecision, buildReviewResponse } from '../../admission/review/response.ts';
import { isGatechainError } from '../../util/errors.ts';
import type { AppDependencies, RoutePlugin } from '../types.ts';
import { appendBreakGlassUses, appendDecision } from './admission-ledger.ts';

class DeadlineExceeded extends Error {}

/** The verification deadline: the configured one, and always below the API server's own timeout. */
export function deadlineFor(configuredMs: number, timeoutParameter: unknown): number {
  const timeout = parseTimeoutParameter(timeoutParameter);
  if (timeout === undefined) return configuredMs;
  const margin = Math.min(1000, Math.floor(timeout * 0.2));
  return Math.max(50, Math.min(configuredMs, timeout - margin));
}

/** The deadline of one webhook call: the configured one, capped by its `?timeout`. */
function requestDeadline(request: FastifyRequest, deps: AppDependencies): number {
  return deadlineFor(deps.deadlineMs, (request.query as Record<string, unknown> | undefined)?.['timeout']);
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`verification did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/** Internal errors deny under Enforce and admit with a warning under Audit. */
function failureDecision(engine: AdmissionEngine, message: string): AdmissionDecision {
  if (engine.defaultAction === 'Enforce') {
    return {
      allowed: false,
      status: { code: 500, message: `gatechain could not decide (failing closed): ${message}` },
      warnings: [],
      patch: [],
    };
  }
  return { allowed: true, warnings: [`[audit] gatechain could not decide: ${message}`], patch: [] };
}

function parseOr400(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDependencies,
  webhook: string,
): AdmissionRequest | undefined {
  try {
    return parseAdmissionReview(request.body);
  } catch (error) {
    deps.metrics.admissionErrors.inc({ webhook, kind: 'malformed' });
    const message = isGatechainError(error) ? error.message : 'malformed AdmissionReview';
    reply.code(400).send({ error: { code: 'ADMISSION_REVIEW_INVALID', message } });
    return undefined;
  }
}

/**
 * Records, metrics and notifications after a decision. Dry-run requests leave no trace: the
 * webhooks are registered with sideEffects: None, which promises exactly that.
 */
function afterValidation(
  outcome: ValidationOutcome,
  deps: AppDependencies,
  log: FastifyBaseLogger,
  dryRun: boolean,
): void {
  if (dryRun) return;
  const now = deps.now?.() ?? new Date();
  for (const violation of outcome.violations) deps.metrics.violations.inc({ action: violation.action });
  if (deps.records && (outcome.violations.length > 0 || outcome.breakGlass.length > 0)) {
    try {
      deps.records.append(recordsOf(outcome, now));
    } catch (error) {
      log.error({ err: error }, 'could not record admission results');
    }
  }
  for (const use of outcome.breakGlass) {
    deps.metrics.breakGlass.inc();
    log.warn(
      { resource: outcome.resource, image: use.image, digest: use.digest, grant: use.grant },
      'admitted by break-glass',
    );
    if (deps.notifyUrl) {
      const notice = {
        event: 'gatechain.break-glass' as const,
        time: now.toISOString(),
        resource: outcome.resource,
        ...use,
      };
      // Not awaited: a slow notification endpoint must not hold up admission.
      void postNotice(deps.notifyUrl, notice).then((result) => {
        if (!result.ok) log.error({ error: result.error }, 'break-glass notification failed');
      });
    }
  }
}

export const admissionRoutes: RoutePlugin = {
  name: 'admission',
  enabled: (deps) => deps.engine !== undefined,
  register(app, deps) {
    const engine = deps.engine!;
    app.post('/validate', async (request, reply) => {
      const started = performance.now();
      const review = parseOr400(request, reply, deps, 'validate');
      if (!review) return reply;
      const deadline = requestDeadline(request, deps);
      const dryRun = review.dryRun === true;
      const time = deps.now?.() ?? new Date();
      // Dry runs leave no ledger record either (sideEffects: None).
      const ledgered = deps.ledger !== undefined && !dryRun;
      const context = () => ({
        subjects: decisionSubjects(engine.imageDigests(review), review.object),
        ...(deps.policyDigest ? { policyDigest: deps.policyDigest } : {}),
        time,
      });
      let decision: AdmissionDecision;
      try {
        const outcome = await withDeadline(
          engine.validate(review).then(async (result) => {
            if (ledgered) await appendBreakGlassUses(result, deps, time);
            return result;
          }),
          deadline,
        );
        afterValidation(outcome, deps, request.log, dryRun);
        decision = outcome.decision;
        if (ledgered) appendDecision(() => decisionRecord(outcome, context()), deps, request.log);
      } catch (error) {
        const kind = error instanceof DeadlineExceeded ? 'deadline' : 'internal';
        deps.metrics.admissionErrors.inc({ webhook: 'validate', kind });
        request.log.error({ err: error, uid: review.uid }, 'validation failed');
        decision = failureDecision(engine, (error as Error).message);
        if (ledgered) appendDecision(() => failureDecisionRecord(decision, context()), deps, request.log);
      }
      deps.metrics.admissionRequests.inc({
        webhook: 'validate',
        allowed: String(decision.allowed),
        mode: engine.defaultAction,
      });
      deps.metrics.admissionDuration.observe({ webhook: 'validate' }, (performance.now() - started) / 1000);
      return buildReviewResponse(review.uid, decision);
    });
    app.post('/mutate', async (request, reply) => {
      const started = performance.now();
      const review = parseOr400(request, reply, deps, 'mutate');
      if (!review) return reply;
      const deadline = requestDeadline(request, deps);
      let decision: AdmissionDecision;
      try {
        decision = (await withDeadline(engine.mutate(review), deadline)).decision;
      } catch (error) {
        deps.metrics.admissionErrors.inc({
          webhook: 'mutate',
          kind: error instanceof DeadlineExceeded ? 'deadline' : 'internal',
        });
        // Mutation only pins digests; the validating webhook still refuses what stays unpinned.
        decision = {
          allowed: true,
          warnings: [`gatechain could not pin digests: ${(error as Error).message}`],
          patch: [],
        };
      }
      deps.metrics.admissionRequests.inc({ webhook: 'mutate', allowed: 'true', mode: engine.defaultAction });
      deps.metrics.admissionDuration.observe({ webhook: 'mutate' }, (performance.now() - started) / 1000);
      return buildReviewResponse(review.uid, decision);
    });
  },
};
