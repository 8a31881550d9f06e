// The HTTP app's schema compilers, each route's validator and response serializer compiled on the route's first
// use rather than at start: the idle daemon never loads Ajv or fast-json-stringify (bench/results/idle-memory.md).
import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type BuildSerializer = NonNullable<CompilersFactory['buildSerializer']>;
type SerializerCompiler = ReturnType<BuildSerializer>;
type Serializer = ReturnType<SerializerCompiler>;

const require = createRequire(import.meta.url);

let ajvs: { strict: AjvInstance; coercing: AjvInstance } | undefined;
/** Bodies are strict (no coercion: "true" is not a boolean); query strings and path parameters arrive as text. */
function ajvFor(httpPart: string | undefined): AjvInstance {
  if (!ajvs) {
    const { Ajv } = require('ajv') as typeof import('ajv');
    const options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;
    ajvs = { strict: new Ajv({ ...options, coerceTypes: false }), coercing: new Ajv({ ...options, coerceTypes: true }) };
  }
  return httpPart === 'body' ? ajvs.strict : ajvs.coercing;
}

/** A validator compiled on its route's first request (most routes are admin actions seldom called). Fastify
 *  reads `.errors`. */
function validatorOnFirstUse(compile: () => ValidateFunction): ValidateFunction {
  let validate: ValidateFunction | undefined;
  const lazy = ((data: unknown) => {
    validate ??= compile();
    const valid = validate(data);
    lazy.errors = validate.errors;
    return valid;
  }) as ValidateFunction;
  return lazy;
}

/** Fastify's own serializer builder (fast-json-stringify), found the way Fastify finds it: through Fastify's
 *  dependencies, not voicewipe's. Loaded at the first response that has a schema. */
function defaultSerializerBuilder(): BuildSerializer {
  const fastifyRequire = createRequire(require.resolve('fastify'));
  const { SerializerSelector } = fastifyRequire('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => BuildSerializer };
  return SerializerSelector();
}

/** Fastify's default serializers, each compiled at its first response. The same schemas and options reach
 *  fast-json-stringify as at a start-up compile; only the moment differs. */
const buildSerializerOnFirstUse: BuildSerializer = (externalSchemas, serializerOpts) => {
  let compiler: SerializerCompiler | undefined;
  return (route) => {
    let serialize: Serializer | undefined;
    return (data) => {
      if (!serialize) {
        compiler ??= defaultSerializerBuilder()(externalSchemas, serializerOpts);
        serialize = compiler(route);
      }
      return serialize(data);
    };
  };
};

/** For `Fastify({ schemaController: { compilersFactory } })`: given at construction, Fastify loads neither of its
 *  default compilers (`@fastify/ajv-compiler`, `@fastify/fast-json-stringify-compiler`). */
const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  validatorOnFirstUse(() => ajvFor(httpPart).compile(schema as object));
export const lazyCompilers: CompilersFactory = {
  // Fastify types this builder's result as Ajv's own `compile`; it calls it as a route's schema compiler, the one
  // `app.setValidatorCompiler()` takes.
  buildValidator: (() => validatorCompiler) as unknown as CompilersFactory['buildValidator'],
  buildSerializer: buildSerializerOnFirstUse,
};
