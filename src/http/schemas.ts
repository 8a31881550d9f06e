// JSON schemas shared by the routes (validation in, serialisation out) and the wording of validation errors.
// The type provider is types only (a dev dependency): nothing of it is loaded when the daemon runs.
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { ACCOUNT_ID, ACCOUNT_ID_MAX } from '../config/schema.ts';
import { ERROR_KINDS } from '../errors.ts';

/** The app as the routes see it: `req.body`, `req.query` and `req.params` typed from each route's JSON schema. */
export type RouteApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, JsonSchemaToTsProvider>;

/** What a handler gets for a part validated by schema S (as Fastify asks the provider), for helpers outside the handler. */
export type Validated<S> = (JsonSchemaToTsProvider & { schema: S })['validator'];

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

const nullable = (type: string) => ({ type: [type, 'null'] });
export const nullableInt = nullable('integer');
export const nullableString = nullable('string');
export const isoTime = { type: 'string' } as const;
export const nullableIso = { type: ['string', 'null'] } as const;

// The config's rule (src/config/schema.ts), so an id that loads can always be named in the API.
export const ACCOUNT_ID_PATTERN = ACCOUNT_ID.source;
export const accountId = { type: 'string', pattern: ACCOUNT_ID_PATTERN, minLength: 1, maxLength: ACCOUNT_ID_MAX } as const;
export const errorKind = { type: ['string', 'null'], enum: [...ERROR_KINDS, null] } as const;

/** Every refusal and failure: `{error, status}` (plus the running run's id on a 409). */
export const errorResponse = {
  type: 'object',
  required: ['error', 'status'],
  properties: { error: { type: 'string' }, status: { type: 'integer' }, run_id: nullableInt },
} as const;

export const errorResponses = { '4xx': errorResponse, '5xx': errorResponse } as const;

export const scheduleState = {
  type: 'object',
  required: ['enabled', 'cron', 'timezone', 'jitter_minutes', 'next_run_at'],
  properties: {
    enabled: { type: 'boolean' },
    cron: { type: 'string' },
    timezone: { type: 'string' },
    jitter_minutes: { type: 'number' },
    /** ISO time of the next purge (with tonight's random delay); null when the schedule is off. */
    next_run_at: nullableIso,
  },
} as const;

const accountFigures = {
  found: nullableInt,
  deleted: nullableInt,
  remaining: nullableInt,
  error_kind: errorKind,
} as const;

export const runSummary = {
  type: 'object',
  required: ['id', 'trigger', 'status', 'dry_run', 'started_at', 'finished_at', 'duration_ms', 'found', 'deleted', 'remaining', 'message'],
  properties: {
    id: { type: 'integer' },
    trigger: { type: 'string' },
    status: { type: 'string' },
    dry_run: { type: 'boolean' },
    started_at: isoTime,
    finished_at: nullableIso,
    duration_ms: nullableInt,
    found: { type: 'integer' },
    deleted: { type: 'integer' },
    remaining: { type: 'integer' },
    message: nullableString,
  },
} as const;

export const runListItem = {
  ...runSummary,
  required: [...runSummary.required, 'accounts'],
  properties: {
    ...runSummary.properties,
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['account_id', 'status'],
        properties: { account_id: { type: 'string' }, provider: { type: 'string' }, status: { type: 'string' }, ...accountFigures },
      },
    },
  },
} as const;

export const liveRun = {
  type: ['object', 'null'],
  required: ['run_id', 'trigger', 'dry_run', 'started_at', 'accounts'],
  properties: {
    run_id: { type: 'integer' },
    trigger: { type: 'string' },
    dry_run: { type: 'boolean' },
    started_at: isoTime,
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['account_id', 'status', 'phase'],
        properties: {
          account_id: { type: 'string' }, status: { type: 'string' }, phase: nullableString, needs_person: { type: 'boolean' }, ...accountFigures,
        },
      },
    },
  },
} as const;

interface AjvError { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }

/** Validation errors that name the field: `body.dry_run must be boolean`, `body has an unknown field "force"`. */
export function formatValidationErrors(errors: AjvError[], dataVar: string): Error {
  const messages = errors.map((e) => {
    const path = `${dataVar}${e.instancePath.replace(/\//g, '.')}`;
    if (e.keyword === 'additionalProperties') return `${path} has an unknown field "${String(e.params.additionalProperty)}"`;
    if (e.keyword === 'required') return `${path}.${String(e.params.missingProperty)} is required`;
    if (e.keyword === 'pattern' && path.endsWith('account')) return `${path} must be an account id (lower-case letters, digits, _ and -)`;
    if (e.keyword === 'enum') return `${path} must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`;
    return `${path} ${e.message ?? 'is not valid'}`;
  });
  const err = new Error([...new Set(messages)].join('; ')) as Error & { statusCode: number };
  err.statusCode = 400;
  return err;
}
