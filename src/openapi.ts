import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponse } from './common/http/error-response';
import { AppConfig } from './config/app-config';
import { isPublicPath } from './security/api-key.guard';

const TAGS: [string, string][] = [
  ['pipelines', 'The analysis: subtitles or text in, the expressions worth learning out'],
  ['videos', 'Episodes in, learning videos, slides and shorts out'],
  ['files', 'Downloads of what the video jobs made'],
  ['queues', 'Queue control for operators'],
  ['cleanup', 'The sweep that keeps disk use bounded'],
  ['health', 'Liveness and readiness probes'],
  ['service', 'Where to start'],
];

/**
 * The OpenAPI document of the running configuration: readable operation ids (the controller methods' names),
 * one error shape, and security as it is: the key schemes required where API_KEYS is set, optional where it
 * is not (the service then only listens on localhost), none on the public probes.
 */
export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('langflix-backend')
    .setDescription(
      'Finds the expressions worth learning in English subtitles (idioms, phrasal verbs, fixed phrases), explains each in the sense used in its line, ' +
        'and cuts learning videos, slides and vertical shorts from the episode. Jobs run on Bull queues with live progress (Server-Sent Events), retries, ' +
        'time limits and cancel. Every error has the same shape: { statusCode, error, message }.',
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'One of API_KEYS' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'One of API_KEYS' }, 'X-API-Key');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  if (config.apiKeys.length) builder.addGlobalResponse({ status: 401, description: 'No API key, or not a valid one', type: ErrorResponse });
  if (config.env.RATE_LIMIT_PER_MINUTE > 0) {
    builder.addGlobalResponse({ status: 429, description: 'Rate limit reached; Retry-After says when to come back', type: ErrorResponse });
  }
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: (_controller, method) => method,
    extraModels: [ErrorResponse],
  });
  // Either scheme will do ("Authorize" in Swagger UI then sends the key with every "Try it out"); without
  // keys, no credentials are needed ({}).
  const required = [{ bearer: [] }, { 'X-API-Key': [] }];
  const security = config.apiKeys.length ? required : [...required, {}];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const operation of Object.values(operations as Record<string, { security?: unknown }>)) {
      if (typeof operation === 'object' && operation) operation.security = isPublicPath(path, config) ? [] : security;
    }
  }
  return toOpenApi31(defaultsIntoDescriptions(document));
}

/**
 * What a request may leave out is said in words, not as `default`: generators (openapi-typescript among
 * them) take a property with a default for one that is always there, and would make callers send it.
 */
export function defaultsIntoDescriptions(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const moveDefault = (schema: Schema) => {
    if (!('default' in schema)) return;
    const said = `Default: ${JSON.stringify(schema.default)}.`;
    schema.description = typeof schema.description === 'string' ? `${schema.description} ${said}` : said;
    delete schema.default;
  };
  const seen = new Set<string>();
  const visitRequestSchema = (schema: Schema | undefined) => {
    if (!schema) return;
    const ref = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop()! : null;
    if (ref) {
      if (seen.has(ref)) return;
      seen.add(ref);
      return visitRequestSchema(schemas[ref]);
    }
    moveDefault(schema);
    for (const child of Object.values((schema.properties ?? {}) as Record<string, Schema>)) visitRequestSchema(child);
    for (const key of ['items', 'allOf', 'anyOf', 'oneOf'] as const) {
      const value = schema[key];
      (Array.isArray(value) ? (value as Schema[]) : value ? [value as Schema] : []).forEach(visitRequestSchema);
    }
  };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(
      operations as Record<
        string,
        { requestBody?: { content?: Record<string, { schema?: Schema }> }; parameters?: { schema?: Schema; description?: string }[] }
      >,
    )) {
      if (typeof operation !== 'object' || !operation) continue;
      for (const media of Object.values(operation.requestBody?.content ?? {})) visitRequestSchema(media.schema);
      for (const parameter of operation.parameters ?? []) {
        if (parameter.schema && 'default' in parameter.schema) {
          const said = `Default: ${JSON.stringify(parameter.schema.default)}.`;
          parameter.description = parameter.description ? `${parameter.description} ${said}` : said;
          delete parameter.schema.default;
        }
      }
    }
  }
  return document;
}

type Schema = Record<string, unknown>;

/**
 * OpenAPI 3.1: a nullable field becomes what JSON Schema says it is (`type: [T, 'null']`, or `anyOf` a
 * reference and null). OpenAPI 3.0's `nullable` beside a `$ref` means nothing to a JSON Schema validator, and
 * Nest writes 3.0; with 3.1 the document validates the responses it describes, and generated clients type
 * such fields `T | null`.
 */
export function toOpenApi31(document: OpenAPIObject): OpenAPIObject {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const out: Schema = Object.fromEntries(Object.entries(node as Schema).map(([k, v]) => [k, visit(v)]));
    if (out.nullable !== true) return out;
    delete out.nullable;
    const single = Array.isArray(out.allOf) && out.allOf.length === 1 ? (out.allOf[0] as Schema) : null;
    if (single || out.$ref) {
      const ref = single ?? { $ref: out.$ref };
      delete out.allOf;
      delete out.$ref;
      delete out.type;
      return { ...out, anyOf: [ref, { type: 'null' }] };
    }
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    return out;
  };
  return { ...(visit(document) as OpenAPIObject), openapi: '3.1.0' };
}
